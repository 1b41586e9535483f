package io.starling.cli;

import io.starling.core.security.ClusterCa;
import io.starling.core.security.PeerCredentials;
import io.starling.core.time.SystemClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code starling up}: a local cluster on 127.0.0.1, each peer a real process. First run creates
 * it (init + joins); a later run with the same data dir restarts the same peers from their data.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start a local multi-site cluster on 127.0.0.1 and print how to point kubectl at it (Ctrl-C stops it).")
final class UpCommand implements Callable<Integer> {
    @Option(names = "--data-dir", description = "where the cluster lives (default ~/.starling/local)")
    Path dataDir;

    @Option(names = "--sites", description = "number of sites on first start (default 2)")
    int sites = 2;

    @Option(names = "--edges", description = "edge peers per site on first start (default 2)")
    int edges = 2;

    @Option(names = "--runtime", description = "node agent backend of edge peers: process or containerd (default process)")
    String runtime = "process";

    @Option(names = "--containerd-socket", description = "CRI socket of a running containerd (default: each edge peer starts a private one)")
    String containerdSocket;

    @Option(names = "--service-cidr", description = "IPv4 range of Service ClusterIPs on first start (default "
            + io.starling.gateway.ipam.ServiceCidr.DEFAULT + ", a loopback block)")
    String serviceCidr;

    @Option(names = "--detach", description = "start the peers and return, leaving them running")
    boolean detach;

    @Option(names = "--inject-wan-delay-ms", hidden = true,
            description = "TEST ONLY (benchmarks): every peer adds this RTT (ms) to messages with peers of other sites")
    long injectWanDelayMillis;

    private static final Pattern READY = Pattern.compile("peer ready: id=(\\w+) role=(\\w+) site=(\\S+) address=(\\S+)");

    static Path defaultDataDir() {
        String env = System.getenv("STARLING_HOME");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".starling", "local");
    }

    private record PeerSpec(String name, String site, boolean superPeer, int port, int apiPort, int agentPort) {}

    @Override
    public Integer call() throws Exception {
        if (!runtime.equals("process") && !runtime.equals("containerd")) {
            throw new IllegalArgumentException("--runtime must be process or containerd");
        }
        if (sites < 1 || sites > 26 || edges < 0 || edges > 50) {
            throw new IllegalArgumentException("--sites must be 1..26 and --edges 0..50");
        }
        Path dir = (dataDir != null ? dataDir : defaultDataDir()).toAbsolutePath();
        Files.createDirectories(dir.resolve("logs"));
        Properties layout = loadOrCreateLayout(dir);
        List<PeerSpec> peers = specs(layout);
        List<Process> processes = new ArrayList<>();
        Thread stopper = new Thread(() -> stopAll(processes), "starling-up-stop");
        if (!detach) {
            Runtime.getRuntime().addShutdownHook(stopper);
        }
        long t0 = System.nanoTime();
        Map<String, String> ready = new LinkedHashMap<>();
        Path tokenFile = dir.resolve(peers.get(0).name()).resolve("join-token");
        for (PeerSpec p : peers) {
            Path peerDir = dir.resolve(p.name());
            List<String> args = new ArrayList<>();
            boolean first = p == peers.get(0);
            // per peer: a peer whose first start was interrupted joins now; the others restart from their data
            boolean fresh = !PeerCredentials.existIn(peerDir.resolve("credentials"));
            String token = fresh && !first ? Files.readString(tokenFile, StandardCharsets.UTF_8).trim() : null;
            if (fresh && first) {
                args.addAll(List.of("init", "--site", p.site()));
            } else {
                args.add("peer");
                if (fresh) {
                    args.addAll(List.of("--site", p.site(), "--bootstrap", "127.0.0.1:" + peers.get(0).port(),
                            "--token", token));
                    if (p.superPeer()) {
                        args.add("--super");
                    }
                }
            }
            args.addAll(List.of("--data-dir", peerDir.toString()));
            if (fresh) {
                args.addAll(List.of("--listen", "127.0.0.1:" + p.port(), "--agent-port", Integer.toString(p.agentPort()),
                        "--node-name", p.name()));
                if (p.superPeer()) {
                    args.addAll(List.of("--api", "127.0.0.1:" + p.apiPort(), "--runtime", "none"));
                    if (serviceCidr != null) {
                        args.addAll(List.of("--service-cidr", serviceCidr));
                    }
                } else {
                    args.addAll(List.of("--runtime", layout.getProperty("runtime")));
                    if (containerdSocket != null) {
                        args.addAll(List.of("--containerd-socket", containerdSocket));
                    }
                }
            }
            if (injectWanDelayMillis > 0) {
                args.addAll(List.of("--inject-wan-delay-ms", Long.toString(injectWanDelayMillis)));
            }
            Path log = dir.resolve("logs").resolve(p.name() + ".log");
            processes.add(launch(args, log, p.superPeer() ? null : layout.getProperty("runtime")));
            String line = awaitReady(processes.get(processes.size() - 1), log, 60_000);
            ready.put(p.name(), line);
            if (first && !Files.exists(dir.resolve("admin"))) {
                copyDir(peerDir.resolve("admin"), dir.resolve("admin"));
            }
            System.out.printf("  %-10s %-6s site %-4s %s%s%n", p.name(), p.superPeer() ? "super" : "edge", p.site(),
                    "127.0.0.1:" + p.port(), p.superPeer() ? "  api https://127.0.0.1:" + p.apiPort() : "");
        }
        Path kubeconfig = dir.resolve("kubeconfig");
        writeKubeconfig(dir, peers, kubeconfig);
        System.out.printf("starling: %d peers in %d sites ready in %.1f s (data in %s)%n", peers.size(),
                Integer.parseInt(layout.getProperty("sites")), (System.nanoTime() - t0) / 1e9, dir);
        System.out.println();
        System.out.println("export KUBECONFIG=" + kubeconfig);
        System.out.println("kubectl get nodes -o wide        # any context works: kubectl config get-contexts");
        if (detach) {
            System.out.println("peers keep running; stop them with: pkill -f 'io.starling.cli.Main.*" + dir + "'");
            return 0;
        }
        System.out.println("(Ctrl-C stops the cluster; 'starling up' again resumes it)");
        System.out.flush();
        for (Process p : processes) {
            p.waitFor();
        }
        return 0;
    }

    private Properties loadOrCreateLayout(Path dir) throws IOException {
        Path f = dir.resolve("up.properties");
        Properties p = new Properties();
        if (Files.exists(f)) {
            try (var in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                p.load(in);
            }
            return p;
        }
        p.setProperty("sites", Integer.toString(sites));
        p.setProperty("edges", Integer.toString(edges));
        p.setProperty("runtime", runtime);
        for (int s = 0; s < sites; s++) {
            String site = Character.toString('a' + s);
            for (int e = 0; e <= edges; e++) {
                String name = e == 0 ? site + "-super" : site + "-edge" + e;
                p.setProperty(name + ".port", Integer.toString(freePort()));
                p.setProperty(name + ".agentPort", Integer.toString(freePort()));
                if (e == 0) {
                    p.setProperty(name + ".apiPort", Integer.toString(freePort()));
                }
            }
        }
        try (var out = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
            p.store(out, "starling up: the local cluster's layout (ports are kept so a restart resumes it)");
        }
        return p;
    }

    private static List<PeerSpec> specs(Properties layout) {
        List<PeerSpec> out = new ArrayList<>();
        int n = Integer.parseInt(layout.getProperty("sites"));
        int m = Integer.parseInt(layout.getProperty("edges"));
        for (int s = 0; s < n; s++) {
            String site = Character.toString('a' + s);
            for (int e = 0; e <= m; e++) {
                String name = e == 0 ? site + "-super" : site + "-edge" + e;
                out.add(new PeerSpec(name, site, e == 0, Integer.parseInt(layout.getProperty(name + ".port")),
                        Integer.parseInt(layout.getProperty(name + ".apiPort", "0")),
                        Integer.parseInt(layout.getProperty(name + ".agentPort"))));
            }
        }
        return out;
    }

    /** Starts a peer; {@code edgeRuntime} is the backend of an edge peer, null for a super-peer. */
    private static Process launch(List<String> args, Path log, String edgeRuntime) throws IOException {
        boolean superPeer = edgeRuntime == null;
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Edge peers stand in for small devices (see EdgeJvm; STARLING_EDGE_JVM_OPTS replaces its tuning flags)
        // and get only the jars they load.
        String classPath = superPeer ? System.getProperty("java.class.path") : EdgeJvm.classPath(edgeRuntime);
        cmd.addAll(superPeer ? List.of("-Xmx256m", "-XX:+UseSerialGC") : EdgeJvm.flags(classPath));
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add("io.starling.cli.Main");
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (!superPeer) {
            EdgeJvm.ENVIRONMENT.forEach(pb.environment()::putIfAbsent);
        }
        return pb.start();
    }

    private static String awaitReady(Process p, Path log, long timeoutMillis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        long start = Files.exists(log) ? Files.size(log) : 0;
        while (System.nanoTime() < deadline) {
            String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            String fresh = text.length() > start ? text.substring((int) start) : "";
            Matcher m = READY.matcher(fresh);
            if (m.find()) {
                return m.group();
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("a peer exited during start; see " + log + ": " + lastLine(fresh));
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("a peer did not become ready within " + timeoutMillis / 1000 + " s; see " + log);
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1];
    }

    private static void writeKubeconfig(Path dir, List<PeerSpec> peers, Path out) throws IOException {
        PeerCredentials admin = PeerCredentials.load(dir.resolve("admin"));
        ClusterCa ca = admin.clusterCa(SystemClock.INSTANCE).orElseThrow();
        Map<String, String> servers = new LinkedHashMap<>();
        for (PeerSpec p : peers) {
            if (p.superPeer()) {
                servers.put("starling-" + p.name(), "127.0.0.1:" + p.apiPort());
            }
        }
        Files.writeString(out, Kubeconfig.render(ca, "admin", List.of("system:masters"), servers), StandardCharsets.UTF_8);
    }

    private static void stopAll(List<Process> processes) {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                // generous: an edge peer writing its class-data archive at exit (EdgeJvm) needs a few seconds
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void copyDir(Path from, Path to) {
        try {
            Files.createDirectories(to);
            try (var files = Files.list(from)) {
                for (Path f : files.toList()) {
                    Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
