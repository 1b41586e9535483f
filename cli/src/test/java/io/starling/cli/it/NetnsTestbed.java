package io.starling.cli.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Sites as network namespaces on this machine (driving {@code cli/testbed/netns-testbed.sh}):
 * every site gets its own namespace and address on a shared bridge, peers of a site run inside it,
 * and {@link #cut} / {@link #heal} drop or restore all traffic between groups of sites with nft.
 * {@link #close} kills whatever runs inside and deletes the namespaces, also after a failed test;
 * leftovers of a crashed JVM are swept when the next testbed starts.
 */
public final class NetnsTestbed implements LocalCluster.SiteNetwork, AutoCloseable {
    private static final String PREFIX = "stb";
    private static final Path SCRIPT = Path.of("testbed", "netns-testbed.sh");
    private static final Path STATE = Path.of("/run/starling-testbed");

    private final String run;
    private final Map<String, String> addresses = new LinkedHashMap<>();
    private final Map<String, Integer> nextPort = new LinkedHashMap<>();

    private NetnsTestbed(String run) {
        this.run = run;
    }

    /** True when this process may create namespaces (root, iproute2 and nft present). */
    public static boolean available() {
        try {
            return new ProcessBuilder("id", "-u").start().inputReader().readLine().trim().equals("0")
                    && exec(List.of("ip", "netns", "list")).exitCode == 0
                    && exec(List.of("nft", "--version")).exitCode == 0
                    && Files.isExecutable(SCRIPT);
        } catch (IOException e) {
            return false;
        }
    }

    public static NetnsTestbed create(String... sites) throws IOException {
        sweepOrphans();
        long pid = ProcessHandle.current().pid();
        String run = PREFIX + Long.toString(pid % 100_000, 36);
        NetnsTestbed bed = new NetnsTestbed(run);
        List<String> args = new ArrayList<>(List.of("create", run));
        args.addAll(List.of(sites));
        script(args.toArray(String[]::new));
        Files.writeString(STATE.resolve(run + ".pid"), Long.toString(pid));
        for (String site : sites) {
            bed.addresses.put(site, script("addr", run, site).trim());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(bed::destroyQuietly));
        return bed;
    }

    @Override
    public String host(String site) {
        String address = addresses.get(site);
        if (address == null) {
            throw new IllegalArgumentException("no site " + site + " in this testbed");
        }
        return address;
    }

    @Override
    public List<String> prefix(String site) {
        host(site);
        return List.of("ip", "netns", "exec", run + "-" + site);
    }

    /** Each site is a fresh namespace, so ports are simply handed out in order. */
    @Override
    public synchronized int freePort(String site) {
        host(site);
        return nextPort.merge(site, 7100, (old, one) -> old + 1);
    }

    /** Drops all traffic between every site of {@code groupA} and every site of {@code groupB}. */
    public void cut(List<String> groupA, List<String> groupB) throws IOException {
        script("cut", run, String.join(" ", groupA), String.join(" ", groupB));
    }

    /** Removes every cut. */
    public void heal() throws IOException {
        script("heal", run);
    }

    @Override
    public void close() throws IOException {
        script("destroy", run);
        Files.deleteIfExists(STATE.resolve(run + ".pid"));
    }

    /** Destroys testbeds whose JVM died without cleaning up (never those of a live test run). */
    private static void sweepOrphans() throws IOException {
        if (!Files.isDirectory(STATE)) {
            return;
        }
        try (var files = Files.list(STATE)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".pid")).toList()) {
                String owner = Files.readString(f).trim();
                boolean alive = ProcessHandle.of(Long.parseLong(owner)).map(ProcessHandle::isAlive).orElse(false);
                if (!alive) {
                    String run = f.getFileName().toString().replace(".pid", "");
                    script("destroy", run);
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    private void destroyQuietly() {
        try {
            close();
        } catch (IOException | RuntimeException ignored) {
            // best effort on JVM exit
        }
    }

    private static String script(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(SCRIPT.toString()));
        cmd.addAll(List.of(args));
        Exec r = exec(cmd);
        if (r.exitCode != 0) {
            throw new IOException("netns-testbed " + String.join(" ", args) + " failed: " + r.output);
        }
        return r.output;
    }

    private record Exec(int exitCode, String output) {}

    private static Exec exec(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Exec(-1, out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Exec(-1, out);
        }
        return new Exec(p.exitValue(), out);
    }
}
