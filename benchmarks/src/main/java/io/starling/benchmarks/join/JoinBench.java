package io.starling.benchmarks.join;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.benchmarks.Benchmark;
import io.starling.benchmarks.Results;
import io.starling.benchmarks.cluster.LocalClusterRun;
import io.starling.benchmarks.cluster.Percentiles;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code join}: how long a new edge peer takes from the start of its process to (a) "peer ready"
 * (joined with its token, attached to a super-peer, node agent running) and (b) its Node Ready as
 * seen through the Kubernetes API of the super-peer. A 1-site cluster (one super-peer) runs; then
 * --peers fresh edge peers join one after another on loopback (a LAN), each with a new identity
 * and data dir, with the JVM flags `starling up` gives edge peers. Goal (BRIEF): Ready within 2 s.
 * Those flags include the build's class-data archive; when it does not exist yet, one unmeasured
 * join runs first and writes it as it stops (as the first edge peer `starling up` starts would).
 */
public final class JoinBench implements Benchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Supplier<List<String>> edgeJvmFlags;
    private final Supplier<String> edgeClassPath;

    /** {@code edgeJvmFlags} gives the flags of the next edge-peer process (they change once its archive exists). */
    public JoinBench(Supplier<List<String>> edgeJvmFlags) {
        this(edgeJvmFlags, () -> System.getProperty("java.class.path"));
    }

    /** As above, with the class path edge peers get (`starling up` gives them only the jars they load). */
    public JoinBench(Supplier<List<String>> edgeJvmFlags, Supplier<String> edgeClassPath) {
        this.edgeJvmFlags = edgeJvmFlags;
        this.edgeClassPath = edgeClassPath;
    }

    @Override
    public String name() {
        return "join";
    }

    @Override
    public String description() {
        return "edge peer start -> peer ready -> Node Ready through the API: --peers N (5)";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        int peers = 5;
        if (args.size() == 2 && args.get(0).equals("--peers")) {
            try {
                peers = Integer.parseInt(args.get(1));
            } catch (NumberFormatException e) {
                peers = -1;
            }
        } else if (!args.isEmpty()) {
            out.println("join: use --peers N");
            return 2;
        }
        if (peers < 1 || peers > 100) {
            out.println("join: --peers must be 1..100");
            return 2;
        }
        List<Double> ready = new ArrayList<>();
        List<Double> nodeReady = new ArrayList<>();
        List<String> flags = List.of();
        try (LocalClusterRun cluster = LocalClusterRun.start(1, 0, "process", List.of(), out)) {
            Properties layout = new Properties();
            try (var in = Files.newBufferedReader(cluster.dataDir().resolve("up.properties"))) {
                layout.load(in);
            }
            String bootstrap = "127.0.0.1:" + layout.getProperty("a-super.port");
            String token = Files.readString(cluster.dataDir().resolve("a-super").resolve("join-token"),
                    StandardCharsets.UTF_8).trim();
            List<String> first = edgeJvmFlags.get();
            if (first.stream().anyMatch(f -> f.startsWith("-XX:ArchiveClassesAtExit="))) {
                out.println("  first edge peer of this build: it writes the class-data archive as it stops (not measured)");
                joinOne(cluster, bootstrap, token, "join-0", first);
            }
            for (int i = 1; i <= peers; i++) {
                flags = edgeJvmFlags.get();
                double[] t = joinOne(cluster, bootstrap, token, "join-" + i, flags);
                ready.add(t[0]);
                nodeReady.add(t[1]);
                out.printf(Locale.ROOT, "  join-%d: peer ready %.0f ms, Node Ready %.0f ms after process start%n", i, t[0], t[1]);
            }
        }
        Percentiles r = new Percentiles(ready);
        Percentiles n = new Percentiles(nodeReady);
        String summary = String.format(Locale.ROOT,
                "join peers=%d peer_ready_p50_ms=%.0f peer_ready_max_ms=%.0f node_ready_p50_ms=%.0f node_ready_max_ms=%.0f",
                peers, r.at(50), r.max(), n.at(50), n.max());
        Results.append(name(), Instant.now().toString(), summary + " (flags=" + LocalClusterRun.portableFlags(flags) + ")");
        out.println(summary);
        return 0;
    }

    /** Starts one edge peer; returns {ms to "peer ready", ms to Node Ready}; stops it again. */
    private double[] joinOne(LocalClusterRun cluster, String bootstrap, String token, String name, List<String> jvmFlags)
            throws Exception {
        Path dataDir = cluster.dataDir().resolve(name);
        Path log = cluster.dataDir().resolve(name + ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-cp", edgeClassPath.get(), "io.starling.cli.Main", "peer",
                "--site", "a", "--bootstrap", bootstrap, "--token", token, "--listen", "127.0.0.1:" + freePort(),
                "--data-dir", dataDir.toString(), "--node-name", name, "--runtime", "process"));
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            double peerReady = -1;
            String url = cluster.server("a-super") + "/api/v1/nodes/" + name;
            long deadline = start + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) {
                    throw new IllegalStateException(name + " exited: " + Files.readString(log, StandardCharsets.UTF_8));
                }
                if (peerReady < 0 && Files.readString(log, StandardCharsets.UTF_8).contains("peer ready")) {
                    peerReady = (System.nanoTime() - start) / 1e6;
                }
                if (nodeReady(cluster.send("GET", url, null))) {
                    double node = (System.nanoTime() - start) / 1e6;
                    return new double[] {peerReady < 0 ? node : peerReady, node};
                }
                Thread.sleep(20);
            }
            throw new IllegalStateException(name + " did not become Ready within 120 s");
        } finally {
            p.destroy();
            // generous: a JVM writing its class-data archive at exit takes a few seconds on a busy machine
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static boolean nodeReady(HttpResponse<String> r) throws IOException {
        if (r.statusCode() != 200) {
            return false;
        }
        for (JsonNode c : JSON.readTree(r.body()).path("status").path("conditions")) {
            if (c.path("type").asText().equals("Ready")) {
                return c.path("status").asText().equals("True");
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
