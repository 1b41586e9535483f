package io.starling.runtime.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.starling.core.random.SeededRandom;
import io.starling.dht.kube.KubeJson;
import io.starling.dht.kube.ObjectClient;
import io.starling.dht.kube.Resources;
import io.starling.dht.kube.StarlingLabels;
import io.starling.dht.store.MemoryClusterStore;
import io.starling.dht.store.Versioned;
import io.starling.runtime.backend.ContainerInfo;
import io.starling.runtime.backend.InMemoryBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent on virtual time, as the simulator runs it: one manual event loop for store and agent,
 * blocking work run inline, the in-memory backend. Everything is deterministic, so the tests
 * advance time instead of waiting.
 */
class NodeAgentVirtualTimeTest {
    private final ManualEventLoop loop = new ManualEventLoop();
    private final MemoryClusterStore store = new MemoryClusterStore(loop, "site-a");
    private final ObjectClient client = new ObjectClient(store, loop.clock(), new SeededRandom(7));
    private final InMemoryBackend backend = new InMemoryBackend(loop.clock());
    private Path dataDir;
    private NodeAgent agent;

    @BeforeEach
    void start() throws Exception {
        dataDir = Files.createTempDirectory("st-vt-");
        NodeAgentConfig cfg = NodeAgentConfig.builder("edge-1").site("site-a").dataDir(dataDir).agentPort(-1)
                .internalIP("10.1.0.7").initialBackoffMillis(10_000).build();
        agent = new NodeAgent(cfg, client, loop, backend, Runnable::run);
        agent.start();
        loop.advance(100);
    }

    @AfterEach
    void stop() {
        agent.close();
        PodDirs.deleteTree(dataDir);
    }

    private <T> T join(CompletableFuture<T> f) {
        loop.runPending();
        return f.join();
    }

    private Pod pod(String name) {
        return join(client.get(Pod.class, "default", name)).orElse(null);
    }

    @Test
    void registersNodeAndRenewsItsLease() {
        Node node = join(client.get(Node.class, "", "edge-1")).orElseThrow();
        assertEquals("site-a", node.getMetadata().getLabels().get(StarlingLabels.SITE));
        assertEquals("edge", node.getMetadata().getLabels().get(StarlingLabels.ROLE));
        assertEquals("v1.32.0-starling", node.getStatus().getNodeInfo().getKubeletVersion());
        assertEquals("True", node.getStatus().getConditions().get(0).getStatus());
        Versioned lease1 = join(store.get(client.keyOf(Resources.LEASES, "kube-node-lease", "edge-1"))).orElseThrow();
        loop.advance(2_000);
        Versioned lease2 = join(store.get(client.keyOf(Resources.LEASES, "kube-node-lease", "edge-1"))).orElseThrow();
        assertTrue(lease2.revision() > lease1.revision(), "renewed");
        String json = new String(lease2.value());
        assertTrue(json.contains("\"holderIdentity\":\"edge-1\"") && json.contains("\"leaseDurationSeconds\":10"), json);

        agent.updateCoordinates("1.0,2.0,0.5,0.2");
        loop.advance(100);
        Node updated = join(client.get(Node.class, "", "edge-1")).orElseThrow();
        assertEquals("1.0,2.0,0.5,0.2", updated.getMetadata().getAnnotations().get(StarlingLabels.COORDINATES));
    }

    @Test
    void runsPodRestartsWithBackoffAndFinalizesDeletion() {
        Container c = new ContainerBuilder().withName("app").withImage("busybox:1").withCommand("sleep", "1000").build();
        join(client.create(Pods.pod("default", "p1", "edge-1", c)));
        loop.advance(1_000);
        Pod p = pod("p1");
        assertTrue(Pods.runningReady(p), KubeJson.MAPPER.valueToTree(p.getStatus()).toString());
        assertEquals("10.1.0.7", p.getStatus().getPodIP());
        String first = Pods.status(p, "app").getContainerID();
        assertTrue(first.startsWith("memory://"));

        // The process dies: restart after the 10 s back-off, not before.
        ContainerInfo running = backend.listContainers().get(0);
        backend.exit(running.id(), 2);
        loop.advance(1_500);
        p = pod("p1");
        assertEquals("CrashLoopBackOff", Pods.status(p, "app").getState().getWaiting().getReason());
        assertEquals(2, Pods.status(p, "app").getLastState().getTerminated().getExitCode());
        loop.advance(10_000);
        p = pod("p1");
        assertEquals(1, Pods.status(p, "app").getRestartCount());
        assertNotNull(Pods.status(p, "app").getState().getRunning());

        // Graceful delete: the agent stops everything, then deletes the Pod object itself.
        Pod del = pod("p1");
        del.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
        del.getMetadata().setDeletionGracePeriodSeconds(0L);
        join(client.update(del));
        loop.advance(1_000);
        assertEquals(Optional.empty(), join(client.get(Pod.class, "default", "p1")));
        assertTrue(backend.listSandboxes().isEmpty());
        assertTrue(backend.listContainers().isEmpty());
    }

    @Test
    void unpresentImageWithPolicyNeverIsReportedAndNothingStarts() {
        backend.removeImage("app:2");
        Container c = new ContainerBuilder().withName("app").withImage("app:2").withImagePullPolicy("Never").build();
        join(client.create(Pods.pod("default", "p2", "edge-1", c)));
        loop.advance(1_000);
        Pod p = pod("p2");
        assertEquals("ErrImageNeverPull", Pods.status(p, "app").getState().getWaiting().getReason());
        assertEquals("Pending", p.getStatus().getPhase());
        assertTrue(backend.listContainers().isEmpty());
    }

    @Test
    void anUnchangedPodIsNotRewritten() {
        Container c = new ContainerBuilder().withName("app").withImage("busybox:1").build();
        join(client.create(Pods.pod("default", "p3", "edge-1", c)));
        loop.advance(1_000);
        String rv = pod("p3").getMetadata().getResourceVersion();
        loop.advance(60_000);
        assertEquals(rv, pod("p3").getMetadata().getResourceVersion(), "resyncs find nothing to write");
        assertFalse(backend.listContainers().isEmpty());
    }

    @Test
    void podsOfOtherNodesAreIgnored() {
        Container c = new ContainerBuilder().withName("app").withImage("busybox:1").build();
        join(client.create(Pods.pod("default", "elsewhere", "edge-2", c)));
        loop.advance(2_000);
        assertTrue(backend.listSandboxes().isEmpty());
        assertEquals(null, pod("elsewhere").getStatus());
    }
}
