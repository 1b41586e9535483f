package io.starling.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives two gateways sharing one store ("super-peers" a and b) with the real kubectl binary on
 * PATH. Skipped when kubectl is not installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubectlIntegrationTest {
    private static final ObjectMapper M = new ObjectMapper();
    private static final long TIMEOUT_SECONDS = 60;

    @TempDir
    static Path dir;
    private GatewayFixture f;
    private Path kubeconfig;

    record Result(int exit, String out, String err) {
        Result ok() {
            assertEquals(0, exit, "kubectl failed: " + err + out);
            return this;
        }
    }

    @BeforeAll
    void start() throws IOException {
        Assumptions.assumeTrue(onPath("kubectl"), "kubectl is not on PATH");
        f = new GatewayFixture(2);
        kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: a
                  cluster: {server: "%s"}
                - name: b
                  cluster: {server: "%s"}
                users:
                - name: u
                  user: {}
                contexts:
                - name: a
                  context: {cluster: a, user: u}
                - name: b
                  context: {cluster: b, user: u}
                current-context: a
                """.formatted(f.url(0), f.url(1)));
    }

    @AfterAll
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    private static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, exe))) {
                return true;
            }
        }
        return false;
    }

    private ProcessBuilder builder(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("kubectl");
        cmd.add("--cache-dir=" + dir.resolve("cache"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        pb.environment().put("HOME", dir.toString());
        return pb;
    }

    private Result kubectlIn(String stdin, String... args) {
        try {
            Path out = Files.createTempFile(dir, "out", ".txt");
            Path err = Files.createTempFile(dir, "err", ".txt");
            ProcessBuilder pb = builder(args).redirectOutput(out.toFile()).redirectError(err.toFile());
            if (stdin == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            }
            Process p = pb.start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
                p.getOutputStream().close();
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("kubectl " + String.join(" ", args) + " timed out");
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Result kubectl(String... args) {
        return kubectlIn(null, args);
    }

    private static JsonNode json(Result r) {
        try {
            return M.readTree(r.out());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.out(), e);
        }
    }

    private static final String MANIFEST = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels: {app: web}
            spec:
              replicas: 2
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                  - name: nginx
                    image: nginx:1.27
                    ports:
                    - containerPort: 80
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: web
            spec:
              selector: {app: web}
              ports:
              - port: 80
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: web-config
            data:
              greeting: hello
            ---
            apiVersion: v1
            kind: Secret
            metadata:
              name: web-secret
            stringData:
              password: hunter2
            """;

    @Test
    void versionAndApiResources() {
        assertTrue(kubectl("version").ok().out().contains("Server Version: v1.32.0-starling"));
        String res = kubectl("api-resources").ok().out();
        assertTrue(res.lines().anyMatch(l -> l.matches("deployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment")), res);
        assertTrue(res.lines().anyMatch(l -> l.matches("pods\\s+po\\s+v1\\s+true\\s+Pod")), res);
        assertTrue(kubectl("explain", "deployment.spec.replicas").ok().out().contains("replicas"));
    }

    @Test
    void applyOnOneSuperPeerReadFromTheOther() {
        String applied = kubectlIn(MANIFEST, "apply", "-f", "-").ok().out();
        assertTrue(applied.contains("deployment.apps/web created"), applied);
        assertTrue(applied.contains("secret/web-secret created"), applied);

        JsonNode d = json(kubectl("--context", "b", "get", "deploy", "web", "-o", "json").ok());
        assertEquals(2, d.path("spec").path("replicas").asInt());
        assertEquals("RollingUpdate", d.path("spec").path("strategy").path("type").asText());
        JsonNode s = json(kubectl("--context", "b", "get", "secret", "web-secret", "-o", "json").ok());
        assertEquals("aHVudGVyMg==", s.path("data").path("password").asText());
        String yaml = kubectl("--context", "b", "get", "cm", "web-config", "-o", "yaml").ok().out();
        assertTrue(yaml.contains("greeting: hello"), yaml);

        String table = kubectl("get", "deploy").ok().out();
        assertTrue(table.lines().findFirst().orElse("").matches("NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE"), table);
        assertTrue(table.contains("web") && table.contains("0/2"), table);
        String wide = kubectl("get", "deploy", "-o", "wide").ok().out();
        assertTrue(wide.contains("CONTAINERS") && wide.contains("nginx:1.27") && wide.contains("app=web"), wide);
        String described = kubectl("--context", "b", "describe", "deploy", "web").ok().out();
        assertTrue(described.contains("StrategyType:           RollingUpdate") && described.contains("nginx:1.27"), described);
        String all = kubectl("get", "all").ok().out();
        assertTrue(all.contains("service/web") && all.contains("deployment.apps/web"), all);

        // re-apply unchanged: nothing to do for the deployment
        assertTrue(kubectlIn(MANIFEST, "apply", "-f", "-").ok().out().contains("deployment.apps/web unchanged"));
        // re-apply changed on the other super-peer
        String changed = MANIFEST.replace("nginx:1.27", "nginx:1.28").replace("replicas: 2", "replicas: 4");
        assertTrue(kubectlIn(changed, "--context", "b", "apply", "-f", "-").ok().out().contains("deployment.apps/web configured"));
        JsonNode d2 = json(kubectl("get", "deploy", "web", "-o", "json").ok());
        assertEquals("nginx:1.28", d2.path("spec").path("template").path("spec").path("containers").get(0).path("image").asText());
        assertEquals(4, d2.path("spec").path("replicas").asInt());
        assertEquals(2, d2.path("metadata").path("generation").asInt());
    }

    @Test
    void scaleAndDelete() {
        kubectlIn(MANIFEST.replace("name: web", "name: scaled"), "apply", "-f", "-").ok();
        assertTrue(kubectl("scale", "deploy", "scaled", "--replicas=3").ok().out().contains("scaled"));
        assertEquals("3", kubectl("--context", "b", "get", "deploy", "scaled", "-o", "jsonpath={.spec.replicas}").ok().out());
        assertTrue(kubectl("delete", "deploy", "scaled").ok().out().contains("deleted"));
        Result gone = kubectl("--context", "b", "get", "deploy", "scaled");
        assertNotEquals(0, gone.exit());
        assertTrue(gone.err().contains("NotFound"), gone.err());
    }

    @Test
    void createNamespaceAndConfigMapImperatively() {
        // kubectl create sends protobuf bodies. Until ProtobufBodies lands they are refused with a clean 415.
        // TODO(gateway-proto): assert success only, once the protobuf decoder merges.
        Result ns = kubectl("create", "namespace", "x");
        if (ns.exit() == 0) {
            kubectl("get", "namespace", "x").ok();
            kubectl("create", "configmap", "c", "-n", "x", "--from-literal=a=b").ok();
            assertEquals("b", kubectl("--context", "b", "get", "cm", "c", "-n", "x", "-o", "jsonpath={.data.a}").ok().out());
        } else {
            assertTrue(ns.err().contains("UnsupportedMediaType") || ns.err().contains("not supported"), ns.err());
        }
        // the YAML route works today
        kubectlIn("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: yard\n", "apply", "-f", "-").ok();
        kubectlIn("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: yard\ndata:\n  a: b\n", "apply", "-f", "-").ok();
        assertEquals("b", kubectl("--context", "b", "get", "cm", "c", "-n", "yard", "-o", "jsonpath={.data.a}").ok().out());
        assertTrue(kubectl("get", "ns").ok().out().contains("yard "));
        assertTrue(kubectl("delete", "ns", "yard").ok().out().contains("deleted"));
        assertNotEquals(0, kubectl("get", "cm", "c", "-n", "yard").exit());
    }

    @Test
    void unknownFieldsAreRejectedByServerSideValidation() {
        String bad = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: strict\ndataa:\n  a: b\n";
        Result r = kubectlIn(bad, "apply", "-f", "-");
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("unknown field \"dataa\""), r.err());
        Result warn = kubectlIn(bad, "apply", "--validate=warn", "-f", "-").ok();
        assertTrue(warn.err().contains("unknown field \"dataa\""), warn.err());
    }

    @Test
    void getWatchSeesEventsMadeThroughTheOtherSuperPeer() throws Exception {
        Process watch = builder("get", "cm", "-w", "--output-watch-events").redirectErrorStream(true).start();
        BlockingQueue<String> lines = new ArrayBlockingQueue<>(1000);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    lines.offer(l);
                }
            } catch (IOException e) {
                // process ended
            }
        }, "kubectl-watch-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            // wait for the header so the watch is established before the write
            String first = lines.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertTrue(first != null && first.startsWith("EVENT"), String.valueOf(first));
            Thread.sleep(500); // the LIST answered; give kubectl a moment to open the WATCH request
            kubectlIn("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: watched\ndata:\n  a: b\n",
                    "--context", "b", "apply", "-f", "-").ok();
            String seen = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (seen == null && System.nanoTime() < deadline) {
                String l = lines.poll(1, TimeUnit.SECONDS);
                if (l != null && l.contains("watched")) {
                    seen = l;
                }
            }
            assertTrue(seen != null && seen.startsWith("ADDED"), String.valueOf(seen));
            assertTrue(watch.isAlive(), "the watch stream stays open");
        } finally {
            watch.destroy();
            watch.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void staleResourceVersionIsAConflict() throws Exception {
        kubectlIn("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cas\ndata:\n  a: '1'\n", "apply", "-f", "-").ok();
        JsonNode before = json(kubectl("get", "cm", "cas", "-o", "json").ok());
        kubectl("--context", "b", "patch", "cm", "cas", "--type=merge", "-p", "{\"data\":{\"a\":\"2\"}}").ok();
        ObjectNode stale = (ObjectNode) before.deepCopy();
        ((ObjectNode) stale.path("data")).put("a", "3");
        Result r = kubectlIn(M.writeValueAsString(stale), "replace", "-f", "-");
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("Conflict") || r.err().contains("has been modified"), r.err());
        assertEquals("2", kubectl("get", "cm", "cas", "-o", "jsonpath={.data.a}").ok().out());
    }

    @Test
    void logsAreProxiedToTheNodeAgent() throws Exception {
        com.sun.net.httpserver.HttpServer agent = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        agent.createContext("/containerLogs/", ex -> {
            seen.add(ex.getRequestURI().toString());
            byte[] body = "hello from the node agent\n".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        agent.start();
        try {
            int port = agent.getAddress().getPort();
            String node = "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"edge-1\"},\"status\":{"
                    + "\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"127.0.0.1\"}],"
                    + "\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":" + port + "}}}}";
            kubectlIn(node, "apply", "-f", "-").ok();
            kubectlIn("apiVersion: v1\nkind: Pod\nmetadata:\n  name: logger\nspec:\n  nodeName: edge-1\n"
                    + "  containers:\n  - name: app\n    image: busybox:1.36\n", "apply", "-f", "-").ok();
            String out = kubectl("--context", "b", "logs", "logger", "--tail=5").ok().out();
            assertEquals("hello from the node agent\n", out);
            assertTrue(seen.get(0).startsWith("/containerLogs/default/logger/app?"), seen.toString());
            assertTrue(seen.get(0).contains("tailLines=5"), seen.toString());
        } finally {
            agent.stop(0);
        }
    }

    @Test
    void drainCordonsAndEvicts() {
        kubectlIn("{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"edge-drain\"},"
                + "\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}", "apply", "-f", "-").ok();
        kubectlIn("apiVersion: v1\nkind: Pod\nmetadata:\n  name: drained\nspec:\n  nodeName: edge-drain\n"
                + "  containers:\n  - name: app\n    image: busybox:1.36\n", "apply", "-f", "-").ok();
        String out = kubectl("drain", "edge-drain", "--force", "--timeout=30s").ok().out();
        assertTrue(out.contains("pod/drained evicted") && out.contains("drained"), out);
        assertTrue(kubectl("--context", "b", "get", "node", "edge-drain").ok().out().contains("SchedulingDisabled"));
        assertNotEquals(0, kubectl("get", "pod", "drained").exit());
    }

    @Test
    void malformedBodyIsABadRequestAndTheServerStaysUp() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"metadata\": {\"name\": ");
        Result r = kubectl("create", "--raw", "/api/v1/namespaces/default/configmaps", "-f", bad.toString());
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("BadRequest") || r.err().contains("400") || r.err().contains("unknown format"), r.err());
        kubectl("version").ok();
        kubectl("get", "ns").ok();
    }
}
