package io.starling.benchmarks.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * A local cluster run by {@code starling up} (no --detach) in a child JVM with this JVM's class
 * path, in a fresh temporary data dir. {@link #close()} stops it (up's own hook stops its peers)
 * and then kills every process of the tree that is still alive, including pod processes the process
 * runtime started in their own sessions; a shutdown hook does the same if the benchmark is killed.
 */
public final class LocalClusterRun implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dataDir;
    private final Process up;
    private final List<ProcessHandle> seen = new ArrayList<>();
    private final Thread hook;
    private KubeconfigTls kubeconfig;
    private SSLContext tls;
    private HttpClient http;

    private LocalClusterRun(Path dataDir, Process up) {
        this.dataDir = dataDir;
        this.up = up;
        this.hook = new Thread(this::stop, "bench-cluster-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts {@code up --sites S --edges E --runtime R [extra...]} and waits for its kubeconfig. */
    public static LocalClusterRun start(int sites, int edges, String runtime, List<String> extra, PrintStream out)
            throws Exception {
        Path dir = Files.createTempDirectory("starling-bench-");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", System.getProperty("java.class.path"), "io.starling.cli.Main", "up",
                "--data-dir", dir.toString(), "--sites", Integer.toString(sites), "--edges", Integer.toString(edges),
                "--runtime", runtime));
        cmd.addAll(extra);
        Path log = dir.resolve("up.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LocalClusterRun run = new LocalClusterRun(dir, p);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (!Files.readString(log, StandardCharsets.UTF_8).contains("export KUBECONFIG=")) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("starling up failed or timed out; log:\n"
                            + Files.readString(log, StandardCharsets.UTF_8));
                }
                Thread.sleep(100);
            }
            run.kubeconfig = KubeconfigTls.parse(Files.readString(dir.resolve("kubeconfig"), StandardCharsets.UTF_8));
            run.tls = run.kubeconfig.sslContext();
            run.http = run.newClient(HttpClient.Version.HTTP_2);
            out.println("  cluster up: " + sites + " site(s), " + edges + " edge(s)/site, runtime " + runtime
                    + (extra.isEmpty() ? "" : " " + String.join(" ", extra)) + " (data " + dir + ")");
            return run;
        } catch (Exception e) {
            run.close();
            throw e;
        }
    }

    /**
     * The shared client: HTTP/2 (ALPN h2, one connection multiplexing every request) as client-go
     * speaks to an API server.
     */
    public HttpClient http() {
        return http;
    }

    /**
     * A new client with the kubeconfig's credentials; HTTP_1_1 opens a TLS connection per
     * concurrent request, as older clients do.
     */
    public HttpClient newClient(HttpClient.Version version) {
        return HttpClient.newBuilder().sslContext(tls).version(version)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** https://HOST:PORT of super-peer {@code name}, e.g. "a-super". */
    public String server(String superPeer) {
        return kubeconfig.server("starling-" + superPeer);
    }

    public Path dataDir() {
        return dataDir;
    }

    /** One request; throws on transport failure, returns the response (any status). */
    public HttpResponse<String> send(String method, String url, String jsonBody) throws Exception {
        return http.send(request(method, url, jsonBody), HttpResponse.BodyHandlers.ofString());
    }

    public static HttpRequest request(String method, String url, String jsonBody) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json");
        if (jsonBody == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        }
        return b.build();
    }

    /**
     * Polls the list at {@code listPath} (e.g. "/api/v1/nodes") on super-peer a-super until at
     * least {@code n} of its items pass {@code test}; throws after {@code seconds}.
     */
    public void awaitItems(String what, String listPath, Predicate<JsonNode> test, int n, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            int passing = 0;
            HttpResponse<String> r = send("GET", server("a-super") + listPath, null);
            if (r.statusCode() == 200) {
                for (JsonNode item : JSON.readTree(r.body()).path("items")) {
                    passing += test.test(item) ? 1 : 0;
                }
            }
            if (passing >= n) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + passing + " of " + n + " " + what + " after " + seconds + " s");
            }
            Thread.sleep(250);
        }
    }

    /** A Node whose Ready condition is True. */
    public static boolean nodeReady(JsonNode node) {
        for (JsonNode c : node.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText())) {
                return "True".equals(c.path("status").asText());
            }
        }
        return false;
    }

    /** A Pod in phase Running. */
    public static boolean podRunning(JsonNode pod) {
        return "Running".equals(pod.path("status").path("phase").asText());
    }

    /** The peer process whose command line names data dir {@code peerName} (e.g. "a-edge1"). */
    public Optional<ProcessHandle> peerProcess(String peerName) {
        String marker = dataDir.resolve(peerName).toString();
        return up.descendants().filter(h -> commandLine(h).contains(" " + marker + " ")).findFirst();
    }

    /**
     * The full argv of a process (Linux /proc), NUL-separated; "" if unreadable. ProcessHandle.Info
     * drops the arguments of long command lines such as ours with its long class path.
     */
    public static List<String> argv(ProcessHandle h) {
        try {
            String raw = new String(Files.readAllBytes(Path.of("/proc", Long.toString(h.pid()), "cmdline")),
                    StandardCharsets.UTF_8);
            return raw.isEmpty() ? List.of() : List.of(raw.split("\u0000"));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** JVM flags as results record them: an archive's path is shortened to {@code cds/NAME} (no machine paths). */
    public static String portableFlags(List<String> flags) {
        return String.join(" ", flags.stream().map(f -> f.replaceAll("=\\S*[/\\\\](cds[/\\\\])", "=$1")).toList());
    }

    private static String commandLine(ProcessHandle h) {
        return String.join(" ", argv(h)) + " ";
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs stop() itself
        }
        deleteQuietly(dataDir);
    }

    private synchronized void stop() {
        up.descendants().forEach(seen::add);
        if (up.isAlive()) {
            up.destroy();
            try {
                if (!up.waitFor(60, TimeUnit.SECONDS)) { // up waits up to 30 s for each peer (class-data archive)
                    up.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // pods of the process runtime run in their own sessions and may outlive their peer
        for (ProcessHandle h : seen) {
            h.descendants().forEach(ProcessHandle::destroyForcibly);
            h.destroyForcibly();
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }
}
