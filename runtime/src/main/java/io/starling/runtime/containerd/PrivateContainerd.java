package io.starling.runtime.containerd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts a containerd of our own (no systemd here): its root, state, sockets and logs live under
 * one directory, its config enables the CRI plugin with runc, the project's {@link TestImage} as
 * sandbox image and {@code restrict_oom_score_adj} (root in this kind of machine lacks
 * CAP_SYS_RESOURCE). {@link #start} waits for the socket and imports the test image; {@link #close}
 * stops containerd and the shims it left, then removes nothing (callers own the directory).
 *
 * <p>The unix socket path must stay under the kernel's 108-byte limit: keep {@code dir} short.
 */
public final class PrivateContainerd implements AutoCloseable {
    public static final Path CONTAINERD = Path.of("/usr/bin/containerd");
    public static final Path CTR = Path.of("/usr/bin/ctr");

    private final Path dir;
    private final Path socket;
    private Process process;

    private PrivateContainerd(Path dir) {
        this.dir = dir.toAbsolutePath();
        this.socket = this.dir.resolve("c.sock");
    }

    public static boolean available() {
        return Files.isExecutable(CONTAINERD) && Files.isExecutable(CTR);
    }

    /** Starts containerd under {@code dir} and imports the test image built from {@code busybox}. */
    public static PrivateContainerd start(Path dir, Path busybox, long startTimeoutMillis) throws IOException {
        PrivateContainerd c = new PrivateContainerd(dir);
        c.launch(startTimeoutMillis);
        try {
            Path image = TestImage.build(busybox, c.dir.resolve("starling-test-image.tar"));
            c.importImage(image);
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    public Path socket() {
        return socket;
    }

    public Path dir() {
        return dir;
    }

    /** Renders the containerd 1.6 (config version 2) file. */
    static String config(Path dir, Path socket) {
        return """
                version = 2
                root = "%1$s/root"
                state = "%1$s/state"
                disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", \
                "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", \
                "io.containerd.internal.v1.tracing", "io.containerd.tracing.processor.v1.otlp"]

                [grpc]
                  address = "%2$s"

                [ttrpc]
                  address = "%2$s.ttrpc"

                [debug]
                  address = "%1$s/debug.sock"

                [metrics]
                  address = ""

                [plugins."io.containerd.internal.v1.opt"]
                  path = "%1$s/opt"

                [plugins."io.containerd.grpc.v1.cri"]
                  sandbox_image = "%3$s"
                  restrict_oom_score_adj = true
                  disable_apparmor = true
                  enable_selinux = false
                  [plugins."io.containerd.grpc.v1.cri".containerd]
                    snapshotter = "overlayfs"
                    default_runtime_name = "runc"
                    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
                      runtime_type = "io.containerd.runc.v2"
                      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                        BinaryName = "runc"
                        Root = "%1$s/runc"
                        SystemdCgroup = false
                  [plugins."io.containerd.grpc.v1.cri".cni]
                    bin_dir = "%1$s/cni/bin"
                    conf_dir = "%1$s/cni/conf"
                """.formatted(dir, socket, TestImage.PAUSE);
    }

    private void launch(long startTimeoutMillis) throws IOException {
        Files.createDirectories(dir.resolve("cni/bin"));
        Files.createDirectories(dir.resolve("cni/conf"));
        Path config = dir.resolve("config.toml");
        Files.writeString(config, config(dir, socket), StandardCharsets.UTF_8);
        Files.deleteIfExists(socket);
        ProcessBuilder pb = new ProcessBuilder(CONTAINERD.toString(), "--config", config.toString(), "--log-level", "warn");
        pb.redirectErrorStream(true);
        pb.redirectOutput(dir.resolve("containerd.log").toFile());
        process = pb.start();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(startTimeoutMillis);
        while (!Files.exists(socket)) {
            if (!process.isAlive()) {
                throw new IOException("containerd exited with " + process.exitValue() + ": " + logTail());
            }
            if (System.nanoTime() > deadline) {
                close();
                throw new IOException("containerd socket did not appear within " + startTimeoutMillis + " ms: " + logTail());
            }
            sleep(50);
        }
    }

    /** Imports an OCI/docker image tarball into the k8s.io namespace the CRI plugin uses. */
    public void importImage(Path tarball) throws IOException {
        importImage(socket, tarball);
    }

    /**
     * Imports an image tarball into any containerd (e.g. the node's own, for {@code starling image
     * import}); returns ctr's output.
     */
    public static String importImage(Path socket, Path tarball) throws IOException {
        return ctr(socket, "images", "import", tarball.toString());
    }

    /** The image names in {@code ctr images import} output ("unpacking NAME (sha256:...)...done"). */
    static List<String> importedNames(String ctrOutput) {
        List<String> names = new ArrayList<>();
        for (String line : ctrOutput.split("\\R")) {
            String l = line.strip();
            if (l.startsWith("unpacking ")) {
                int end = l.indexOf(" (", 10);
                names.add(end < 0 ? l.substring(10) : l.substring(10, end));
            }
        }
        return names;
    }

    /** Runs {@code ctr -a SOCKET -n k8s.io ARGS...} against this containerd. */
    public String ctr(String... args) throws IOException {
        return ctr(socket, args);
    }

    /** Runs {@code ctr -a SOCKET -n k8s.io ARGS...}; returns its output or throws with it. */
    public static String ctr(Path socket, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(CTR.toString(), "-a", socket.toString(), "-n", "k8s.io"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("ctr " + String.join(" ", args) + " failed: " + new String(out, StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("containerd.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        killLeftoverShims();
        unmountLeftovers();
        process = null;
    }

    /** Sandbox shm and rootfs mounts a failed or interrupted run left under our directory. */
    private void unmountLeftovers() {
        try {
            List<String> points = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 1 && f[1].startsWith(dir.toString() + "/")) {
                    points.add(f[1]);
                }
            }
            points.sort(Comparator.comparingInt(String::length).reversed());
            for (String p : points) {
                run("umount", "-l", p);
            }
        } catch (IOException e) {
            // no /proc: nothing we can do
        }
    }

    /**
     * Shims and their containers outlive containerd by design. Ours are found by our runc root and
     * by the socket path on the shims' command lines.
     */
    private void killLeftoverShims() {
        Path runcRoot = dir.resolve("runc/k8s.io");
        if (Files.isDirectory(runcRoot)) {
            try (Stream<Path> ids = Files.list(runcRoot)) {
                for (Path id : ids.sorted().toList()) {
                    run("runc", "--root", runcRoot.toString(), "kill", id.getFileName().toString(), "KILL");
                    run("runc", "--root", runcRoot.toString(), "delete", "-f", id.getFileName().toString());
                }
            } catch (IOException e) {
                // best effort: nothing more to clean
            }
        }
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            all.filter(h -> h.info().arguments().map(a -> String.join(" ", a).contains(socket.toString())).orElse(false))
                    .sorted(Comparator.comparingLong(ProcessHandle::pid))
                    .forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static void run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            // best effort
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
