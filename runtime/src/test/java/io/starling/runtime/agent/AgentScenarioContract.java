package io.starling.runtime.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.starling.dht.kube.StarlingLabels;
import io.starling.runtime.backend.ContainerBackend;
import io.starling.runtime.backend.ContainerInfo;
import io.starling.runtime.backend.Labels;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The node-agent scenario, written once and run against each backend: pods start and report
 * Running/Ready, logs are served, restart policies and back-off, liveness restarts, configMap
 * volumes, missing ConfigMaps, graceful delete, and adoption after an agent restart. One agent
 * serves all tests of a class (each test uses its own pods); the adoption test runs a second
 * node on its own data directory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class AgentScenarioContract {
    static final String NODE = "node-a";
    static final String IMAGE = "starling.io/busybox:1.0";

    AgentHarness h;
    ContainerBackend backend;
    Path dataDir;

    /** A new backend instance whose state lives under {@code dir} (same dir = same runtime state). */
    abstract ContainerBackend newBackend(Path dir) throws Exception;

    /** Per-class scratch directory (short: containerd's socket path must fit in 108 bytes). */
    Path workDir;

    Path workDir() {
        return workDir;
    }

    @BeforeAll
    void startAgent() throws Exception {
        workDir = Files.createTempDirectory("st-agent-");
        dataDir = workDir().resolve("node-a");
        h = new AgentHarness();
        backend = newBackend(dataDir);
        h.startAgent(AgentHarness.config(NODE, dataDir).build(), backend);
    }

    @AfterAll
    void stopAgent() {
        if (h != null) {
            h.close();
        }
        if (backend != null) {
            // Leave nothing behind: remove what the tests did not delete.
            backend.listSandboxes().forEach(s -> backend.removeSandbox(s.id()));
            backend.close();
        }
        afterAgentStopped();
        if (workDir != null) {
            PodDirs.deleteTree(workDir);
        }
    }

    /** Runs after the agent and backend are closed, before the scratch directory is removed. */
    void afterAgentStopped() {}

    @Test
    void podRunsReportsReadyAndServesLogs() throws Exception {
        h.create(Pods.pod("default", "hello", NODE,
                Pods.shell("main", IMAGE, "echo one; echo two; echo three; i=0; while true; do echo tick-$i; i=$((i+1)); sleep 0.2; done")));
        Pod p = h.await("default", "hello", Pods::runningReady, 20_000, "Running/Ready");
        ContainerStatus cs = Pods.status(p, "main");
        assertNotNull(cs.getState().getRunning(), "running state");
        assertTrue(cs.getStarted());
        assertEquals(0, cs.getRestartCount());
        assertTrue(cs.getContainerID().startsWith(backend.name() + "://"), cs.getContainerID());
        assertEquals("127.0.0.1", p.getStatus().getPodIP());
        assertEquals("127.0.0.1", p.getStatus().getHostIP());
        assertNotNull(p.getStatus().getStartTime());

        String base = "http://127.0.0.1:" + h.agent.httpPort();
        String all = awaitBody(base + "/containerLogs/default/hello/main", "three");
        assertTrue(all.startsWith("one\ntwo\nthree\n"), all);
        String tail = get(base + "/containerLogs/default/hello/main?tailLines=1").body();
        assertEquals(1, tail.lines().count(), tail);
        String ts = get(base + "/containerLogs/default/hello/main?tailLines=1&timestamps=true").body();
        assertTrue(ts.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z .*\\n"), ts);
        assertEquals(404, get(base + "/containerLogs/default/nope/main").statusCode());
        assertEquals("ok", get(base + "/healthz").body());
        assertTrue(get(base + "/pods").body().contains("\"name\":\"hello\""));

        // follow: new lines keep arriving on the open response
        HttpResponse<InputStream> follow = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(base + "/containerLogs/default/hello/main?follow=true&tailLines=1")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader r = new BufferedReader(new InputStreamReader(follow.body(), StandardCharsets.UTF_8))) {
            String first = r.readLine();
            String second = r.readLine();
            String third = r.readLine();
            assertTrue(first.startsWith("tick-") && second.startsWith("tick-") && third.startsWith("tick-"), first + second + third);
            assertTrue(number(third) > number(first), first + " then " + third);
        }

        Node node = h.client.get(Node.class, "", NODE).get(5, TimeUnit.SECONDS).orElseThrow();
        assertEquals("site-a", node.getMetadata().getLabels().get(StarlingLabels.SITE));
        assertEquals(h.agent.httpPort(), node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort());
        assertTrue(h.store.get(h.client.keyOf(io.starling.dht.kube.Resources.LEASES, "kube-node-lease", NODE))
                .get(5, TimeUnit.SECONDS).isPresent(), "node lease");
        List<String> reasons = h.client.list(Event.class, "default").get(5, TimeUnit.SECONDS).stream()
                .filter(e -> "hello".equals(e.getInvolvedObject().getName())).map(Event::getReason).toList();
        assertTrue(reasons.containsAll(List.of("Pulled", "Created", "Started")), reasons.toString());
        deleteAndVerifyCleanup("default", "hello");
    }

    /** Whether {@code kubectl exec -i} (stdin) works on this backend. */
    boolean execSupportsStdin() {
        return true;
    }

    @Test
    void execStreamsOutputAndReportsTheExitCode() throws Exception {
        Container c = new ContainerBuilder(Pods.shell("main", IMAGE, "while true; do sleep 1; done"))
                .addNewEnv().withName("GREETING").withValue("from-env").endEnv().build();
        h.create(Pods.pod("default", "exec-target", NODE, c));
        h.await("default", "exec-target", Pods::runningReady, 20_000, "Running/Ready");
        int port = h.agent.httpPort();
        List<String> failing = List.of("sh", "-c", "echo hi; echo $GREETING; echo err >&2; exit 3");
        ExecClient.Result r = awaitExec(ExecClient.uri(port, "default", "exec-target", "main", failing, false, false),
                "v5.channel.k8s.io", null, false);
        assertEquals("hi\nfrom-env\n", r.stdout());
        assertEquals("err\n", r.stderr());
        assertTrue(r.status().contains("\"reason\":\"NonZeroExitCode\"") && r.status().contains("{\"reason\":\"ExitCode\",\"message\":\"3\"}"),
                r.status());
        assertEquals(1000, r.closeCode());

        ExecClient.Result v4 = ExecClient.run(ExecClient.uri(port, "default", "exec-target", "main", List.of("echo", "v4"), false, false),
                "v4.channel.k8s.io", null, false);
        assertEquals("v4\n", v4.stdout());
        assertTrue(v4.status().contains("\"status\":\"Success\""), v4.status());

        ExecClient.Result cat = ExecClient.run(ExecClient.uri(port, "default", "exec-target", "main", List.of("cat"), true, false),
                "v5.channel.k8s.io", "data\nmore\n", true);
        if (execSupportsStdin()) {
            assertEquals("data\nmore\n", cat.stdout(), cat.status());
            assertTrue(cat.status().contains("\"status\":\"Success\""), cat.status());
            // more than the agent queues for stdin and than a pipe holds: both directions must throttle, nothing is lost
            String big = "0123456789abcdef".repeat(32 * 1024);
            ExecClient.Result bulk = ExecClient.run(ExecClient.uri(port, "default", "exec-target", "main", List.of("cat"), true, false),
                    "v5.channel.k8s.io", big, true);
            assertEquals(big.length(), bulk.stdout().length(), bulk.status());
            assertEquals(big, bulk.stdout());
        } else {
            assertTrue(cat.status().contains("\"status\":\"Failure\"") && cat.status().contains("stdin"), cat.status());
        }

        ExecClient.Result tty = ExecClient.run(ExecClient.uri(port, "default", "exec-target", "main", List.of("sh"), true, true),
                "v5.channel.k8s.io", null, false);
        assertTrue(tty.status().contains("\"status\":\"Failure\"") && tty.status().contains("tty"), tty.status());

        ExecClient.Result none = ExecClient.run(ExecClient.uri(port, "default", "exec-target", "nope", List.of("true"), false, false),
                "v5.channel.k8s.io", null, false);
        assertEquals(404, none.httpStatus());
        ExecClient.Result spdyOnly = ExecClient.run(ExecClient.uri(port, "default", "exec-target", "main", List.of("true"), false, false),
                "channel.k8s.io", null, false);
        assertEquals(400, spdyOnly.httpStatus(), "an unsupported subprotocol is refused before the upgrade");
        deleteAndVerifyCleanup("default", "exec-target");
    }

    /** Retries while the agent has not yet seen the container running (it learns so on a relist). */
    static ExecClient.Result awaitExec(java.net.URI uri, String protocol, String stdin, boolean close) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        ExecClient.Result r = ExecClient.run(uri, protocol, stdin, close);
        while (r.httpStatus() == 404 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            r = ExecClient.run(uri, protocol, stdin, close);
        }
        return r;
    }

    @Test
    void failingCommandRestartsWithBackoff() throws Exception {
        h.create(Pods.pod("default", "crasher", NODE, Pods.shell("main", IMAGE, "echo boom; exit 3")));
        Pod p = h.await("default", "crasher", x -> Pods.status(x, "main").getRestartCount() >= 2, 20_000, "two restarts");
        ContainerStatus cs = Pods.status(p, "main");
        var terminated = cs.getLastState().getTerminated() != null ? cs.getLastState().getTerminated() : cs.getState().getTerminated();
        assertNotNull(terminated);
        assertEquals(3, terminated.getExitCode());
        h.await("default", "crasher", x -> Pods.status(x, "main").getState().getWaiting() != null
                && "CrashLoopBackOff".equals(Pods.status(x, "main").getState().getWaiting().getReason()), 10_000, "CrashLoopBackOff");
        String previous = awaitBody("http://127.0.0.1:" + h.agent.httpPort() + "/containerLogs/default/crasher/main?previous=true", "boom");
        assertEquals("boom\n", previous);
        deleteAndVerifyCleanup("default", "crasher");
    }

    @Test
    void restartPolicyNeverAndOnFailureEndInTerminalPhases() throws Exception {
        Pod never = Pods.pod("default", "once-fails", NODE, Pods.shell("main", IMAGE, "exit 7"));
        never.getSpec().setRestartPolicy("Never");
        h.create(never);
        Pod onFailure = Pods.pod("default", "once-ok", NODE, Pods.shell("main", IMAGE, "echo done"));
        onFailure.getSpec().setRestartPolicy("OnFailure");
        h.create(onFailure);
        Pod failed = h.await("default", "once-fails", x -> "Failed".equals(x.getStatus().getPhase()), 20_000, "Failed");
        assertEquals(7, Pods.status(failed, "main").getState().getTerminated().getExitCode());
        assertEquals(0, Pods.status(failed, "main").getRestartCount());
        Pod ok = h.await("default", "once-ok", x -> "Succeeded".equals(x.getStatus().getPhase()), 20_000, "Succeeded");
        assertEquals(0, Pods.status(ok, "main").getRestartCount());
        deleteAndVerifyCleanup("default", "once-fails");
        deleteAndVerifyCleanup("default", "once-ok");
    }

    @Test
    void failingLivenessProbeRestartsTheContainer() throws Exception {
        Container c = new ContainerBuilder(Pods.shell("main", IMAGE, "sleep 1000"))
                .withNewLivenessProbe().withNewExec().withCommand("test", "-f", "/starling-no-such-file").endExec()
                .withPeriodSeconds(1).withFailureThreshold(1).endLivenessProbe().build();
        h.create(Pods.pod("default", "unhealthy", NODE, c));
        h.await("default", "unhealthy", x -> Pods.status(x, "main").getRestartCount() >= 1, 30_000, "a liveness restart");
        List<String> reasons = h.client.list(Event.class, "default").get(5, TimeUnit.SECONDS).stream()
                .filter(e -> "unhealthy".equals(e.getInvolvedObject().getName())).map(Event::getReason).toList();
        assertTrue(reasons.contains("Unhealthy") && reasons.contains("Killing"), reasons.toString());
        deleteAndVerifyCleanup("default", "unhealthy");
    }

    @Test
    void readinessProbeGatesReady() throws Exception {
        Container c = new ContainerBuilder(Pods.shell("main", IMAGE, "sleep 1000"))
                .withNewReadinessProbe().withNewExec().withCommand("test", "-f", "/starling-no-such-file").endExec()
                .withPeriodSeconds(1).endReadinessProbe().build();
        h.create(Pods.pod("default", "never-ready", NODE, c));
        Pod p = h.await("default", "never-ready", x -> "Running".equals(x.getStatus().getPhase())
                && Boolean.TRUE.equals(Pods.status(x, "main").getStarted()), 20_000, "Running");
        assertFalse(Pods.status(p, "main").getReady());
        assertEquals(0, Pods.status(p, "main").getRestartCount());
        deleteAndVerifyCleanup("default", "never-ready");
    }

    @Test
    void httpGetReadinessAndTcpSocketLivenessProbes() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        String www = "/tmp/starling-test-www-" + backend.name() + "-" + port;
        Container c = new ContainerBuilder(Pods.shell("web", IMAGE, "mkdir -p " + www + " && echo ok > " + www
                + "/index.html && exec busybox httpd -f -p 127.0.0.1:" + port + " -h " + www))
                .withNewReadinessProbe().withNewHttpGet().withPath("/index.html").withPort(new io.fabric8.kubernetes.api.model.IntOrString(port))
                .endHttpGet().withPeriodSeconds(1).endReadinessProbe()
                .withNewLivenessProbe().withNewTcpSocket().withPort(new io.fabric8.kubernetes.api.model.IntOrString(port)).endTcpSocket()
                .withPeriodSeconds(1).withFailureThreshold(2).endLivenessProbe()
                .build();
        h.create(Pods.pod("default", "web", NODE, c));
        h.await("default", "web", Pods::runningReady, 20_000, "Ready through the httpGet probe");
        Thread.sleep(2500);
        Pod p = h.get("default", "web").orElseThrow();
        assertEquals(0, Pods.status(p, "web").getRestartCount(), "tcpSocket liveness keeps passing");
        assertTrue(Pods.runningReady(p));
        deleteAndVerifyCleanup("default", "web");
        PodDirs.deleteTree(Path.of(www));
    }

    @Test
    void configMapVolumeSecretAndEnvReachTheContainer() throws Exception {
        ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withNamespace("default").withName("app-config").endMetadata()
                .withData(Map.of("greeting", "hello from a configmap", "color", "blue")).build();
        h.client.create(cm).get(5, TimeUnit.SECONDS);
        Secret secret = new SecretBuilder().withNewMetadata().withNamespace("default").withName("app-secret").endMetadata()
                .withData(Map.of("token", Base64.getEncoder().encodeToString("s3cret".getBytes(StandardCharsets.UTF_8)))).build();
        h.client.create(secret).get(5, TimeUnit.SECONDS);
        String mount = "/tmp/starling-test-config-" + backend.name();
        Container c = new ContainerBuilder(Pods.shell("main", IMAGE,
                "cat " + mount + "/greeting; echo; echo color=$COLOR token=$TOKEN pod=$POD_NAME ns=$POD_NS node=$NODE host=$HOSTNAME; "
                        + "ls -l " + mount + "/ | grep -c -- '-r--------' ; echo END; sleep 1000"))
                .addNewEnv().withName("COLOR").withNewValueFrom().withNewConfigMapKeyRef("color", "app-config", false).endValueFrom().endEnv()
                .addNewEnv().withName("TOKEN").withNewValueFrom().withNewSecretKeyRef("token", "app-secret", false).endValueFrom().endEnv()
                .addNewEnv().withName("POD_NAME").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("POD_NS").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.namespace").endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("NODE").withNewValueFrom().withNewFieldRef().withFieldPath("spec.nodeName").endFieldRef().endValueFrom().endEnv()
                .addNewVolumeMount().withName("config").withMountPath(mount).withReadOnly(true).endVolumeMount()
                .build();
        Pod pod = Pods.pod("default", "configured", NODE, c);
        pod.getSpec().setVolumes(List.of(new io.fabric8.kubernetes.api.model.VolumeBuilder().withName("config")
                .withNewConfigMap().withName("app-config").withDefaultMode(0400).endConfigMap().build()));
        h.create(pod);
        h.await("default", "configured", Pods::runningReady, 20_000, "Running/Ready");
        String base = "http://127.0.0.1:" + h.agent.httpPort();
        String logs = awaitBody(base + "/containerLogs/default/configured/main", "END");
        assertTrue(logs.contains("hello from a configmap"), logs);
        assertTrue(logs.contains("color=blue token=s3cret pod=configured ns=default node=node-a host=configured"), logs);
        assertTrue(logs.contains("\n2\n"), "both files mode 0400: " + logs);
        deleteAndVerifyCleanup("default", "configured");
    }

    @Test
    void missingConfigMapIsReportedNotFatal() throws Exception {
        Container c = new ContainerBuilder(Pods.shell("main", IMAGE, "sleep 1000"))
                .addNewEnv().withName("X").withNewValueFrom().withNewConfigMapKeyRef("k", "does-not-exist", false).endValueFrom().endEnv()
                .build();
        h.create(Pods.pod("default", "misconfigured", NODE, c));
        Pod p = h.await("default", "misconfigured", x -> Pods.status(x, "main").getState().getWaiting() != null
                && "CreateContainerConfigError".equals(Pods.status(x, "main").getState().getWaiting().getReason()), 20_000,
                "CreateContainerConfigError");
        assertTrue(Pods.status(p, "main").getState().getWaiting().getMessage().contains("configmap \"does-not-exist\" not found"));
        assertEquals("Pending", p.getStatus().getPhase());
        // Creating the ConfigMap lets the pod start: the agent retries level-triggered.
        h.client.create(new ConfigMapBuilder().withNewMetadata().withNamespace("default").withName("does-not-exist").endMetadata()
                .withData(Map.of("k", "v")).build()).get(5, TimeUnit.SECONDS);
        h.await("default", "misconfigured", Pods::runningReady, 20_000, "Running after the ConfigMap appeared");
        deleteAndVerifyCleanup("default", "misconfigured");
    }

    @Test
    void initContainersRunFirstAndShareEmptyDir() throws Exception {
        String mount = "/tmp/starling-test-work-" + backend.name();
        Container init = new ContainerBuilder(Pods.shell("prepare", IMAGE, "echo prepared > " + mount + "/ready"))
                .addNewVolumeMount().withName("work").withMountPath(mount).endVolumeMount().build();
        Container main = new ContainerBuilder(Pods.shell("main", IMAGE, "cat " + mount + "/ready; sleep 1000"))
                .addNewVolumeMount().withName("work").withMountPath(mount).endVolumeMount().build();
        Pod pod = new PodBuilder(Pods.pod("default", "with-init", NODE, main)).editSpec().withInitContainers(init)
                .addNewVolume().withName("work").withNewEmptyDir().endEmptyDir().endVolume().endSpec().build();
        h.create(pod);
        Pod p = h.await("default", "with-init", Pods::runningReady, 20_000, "Running/Ready");
        assertEquals(0, p.getStatus().getInitContainerStatuses().get(0).getState().getTerminated().getExitCode());
        assertTrue(p.getStatus().getConditions().stream().anyMatch(c -> "Initialized".equals(c.getType()) && "True".equals(c.getStatus())));
        String logs = awaitBody("http://127.0.0.1:" + h.agent.httpPort() + "/containerLogs/default/with-init/main", "prepared");
        assertTrue(logs.contains("prepared"), logs);
        deleteAndVerifyCleanup("default", "with-init");
    }

    @Test
    void restartedAgentAdoptsRunningPods() throws Exception {
        Path dir = workDir().resolve("node-b");
        String node = "node-b";
        ContainerBackend first = newBackend(dir);
        NodeAgent agent1 = new NodeAgent(AgentHarness.config(node, dir).build(), h.client, h.loop, first);
        agent1.start();
        h.create(Pods.pod("default", "survivor", node, Pods.shell("main", IMAGE, "sleep 1000")));
        Pod before = h.await("default", "survivor", Pods::runningReady, 20_000, "Running/Ready");
        String id = Pods.status(before, "main").getContainerID();
        agent1.close();
        first.close();

        ContainerBackend second = newBackend(dir);
        NodeAgent agent2 = new NodeAgent(AgentHarness.config(node, dir).build(), h.client, h.loop, second);
        try {
            agent2.start();
            // Give the new agent several sync rounds; it must keep the same container.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < until || agent2.syncCount() < 2) {
                Thread.sleep(100);
            }
            Pod after = h.await("default", "survivor", Pods::runningReady, 10_000, "still Running/Ready");
            assertEquals(id, Pods.status(after, "main").getContainerID());
            assertEquals(0, Pods.status(after, "main").getRestartCount());
            List<ContainerInfo> mine = second.listContainers().stream()
                    .filter(x -> "survivor".equals(x.labels().get(Labels.POD_NAME))).toList();
            assertEquals(1, mine.size(), "no duplicate container: " + mine);
            h.delete("default", "survivor", 1);
            h.awaitGone("default", "survivor", 20_000);
            assertTrue(second.listSandboxes().stream().noneMatch(s -> s.podName().equals("survivor")));
        } finally {
            agent2.close();
            second.listSandboxes().stream().filter(s -> node.equals(s.labels().get(Labels.NODE)))
                    .forEach(s -> second.removeSandbox(s.id()));
            second.close();
        }
    }

    void deleteAndVerifyCleanup(String ns, String name) throws Exception {
        Pod p = h.get(ns, name).orElseThrow();
        String uid = p.getMetadata().getUid();
        h.delete(ns, name, 1);
        h.awaitGone(ns, name, 20_000);
        assertTrue(backend.listSandboxes().stream().noneMatch(s -> s.podUid().equals(uid)), "sandbox removed");
        assertTrue(backend.listContainers().stream().noneMatch(c -> uid.equals(c.podUid())), "containers removed");
        assertFalse(Files.exists(dataDir.resolve("pods").resolve(uid)), "pod directory removed");
    }

    static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String awaitBody(String url, String needle) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String body = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = get(url);
            body = r.body();
            if (r.statusCode() == 200 && body.contains(needle)) {
                return body;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no '" + needle + "' in " + url + ": " + body);
    }

    private static int number(String tick) {
        return Integer.parseInt(tick.substring("tick-".length()).trim());
    }
}
