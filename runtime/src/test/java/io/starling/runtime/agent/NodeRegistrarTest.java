package io.starling.runtime.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.starling.core.random.SeededRandom;
import io.starling.dht.kube.KubeJson;
import io.starling.dht.kube.ObjectClient;
import io.starling.dht.kube.Resources;
import io.starling.dht.kube.StarlingLabels;
import io.starling.dht.store.MemoryClusterStore;
import io.starling.dht.store.Versioned;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Kubelet-style Node status reporting on virtual time: the Lease is renewed every period, the
 * Node is written only when its status changed or the report period has passed.
 */
class NodeRegistrarTest {
    private final ManualEventLoop loop = new ManualEventLoop();
    private final MemoryClusterStore store = new MemoryClusterStore(loop, "site-a");
    private final ObjectClient client = new ObjectClient(store, loop.clock(), new SeededRandom(7));
    private NodeRegistrar registrar;

    private NodeRegistrar start(long reportMillis) {
        NodeAgentConfig cfg = NodeAgentConfig.builder("edge-1").site("site-a").dataDir(Path.of("unused"))
                .nodeStatusUpdateMillis(10_000).nodeStatusReportMillis(reportMillis).leaseRenewMillis(2_000).build();
        registrar = new NodeRegistrar(cfg, client, loop, "memory://1", 10250);
        loop.execute(registrar::start);
        loop.advance(100);
        return registrar;
    }

    @AfterEach
    void stop() {
        if (registrar != null) {
            registrar.close();
        }
    }

    private <T> T join(CompletableFuture<T> f) {
        loop.runPending();
        return f.join();
    }

    private Node node() {
        return join(client.get(Node.class, "", "edge-1")).orElse(null);
    }

    private long leaseRevision() {
        return join(store.get(client.keyOf(Resources.LEASES, "kube-node-lease", "edge-1"))).orElseThrow().revision();
    }

    private static NodeCondition ready(Node n) {
        return n.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElseThrow();
    }

    @Test
    void anUnchangedStatusIsWrittenOnlyOncePerReportPeriodWhileTheLeaseKeepsRenewing() {
        start(60_000);
        Node first = node();
        assertEquals("True", ready(first).getStatus());
        long lease = leaseRevision();
        loop.advance(50_000);
        assertEquals(first.getMetadata().getResourceVersion(), node().getMetadata().getResourceVersion(),
                "five status computations, nothing changed, nothing written");
        assertTrue(leaseRevision() > lease, "the Lease is the liveness signal");
        loop.advance(20_000);
        Node reported = node();
        assertNotEquals(first.getMetadata().getResourceVersion(), reported.getMetadata().getResourceVersion());
        assertNotEquals(ready(first).getLastHeartbeatTime(), ready(reported).getLastHeartbeatTime(),
                "the report period refreshes the heartbeat");
        assertEquals(ready(first).getLastTransitionTime(), ready(reported).getLastTransitionTime());
        assertEquals(2, registrar.nodeWrites());
    }

    @Test
    void theDefaultReportPeriodIsFiveMinutes() {
        NodeAgentConfig cfg = NodeAgentConfig.builder("n").dataDir(Path.of("unused")).build();
        assertEquals(10_000, cfg.nodeStatusUpdateMillis());
        assertEquals(300_000, cfg.nodeStatusReportMillis());
    }

    @Test
    void anAnnotationChangeIsWrittenAtOnce() {
        start(300_000);
        loop.advance(30_000);
        loop.execute(() -> registrar.setAnnotation(StarlingLabels.COORDINATES, "1.0,2.0,0.5,0.2"));
        loop.advance(100);
        assertEquals("1.0,2.0,0.5,0.2", node().getMetadata().getAnnotations().get(StarlingLabels.COORDINATES));
        loop.execute(() -> registrar.setAnnotation(StarlingLabels.COORDINATES, "1.0,2.0,0.5,0.2"));
        loop.advance(100);
        assertEquals(2, registrar.nodeWrites(), "the same value again writes nothing");
    }

    @Test
    void aStatusChangedBySomeoneElseIsCorrectedWithinAnUpdatePeriod() {
        start(300_000);
        Node n = KubeJson.copy(node(), Node.class);
        ready(n).setStatus("Unknown");
        ready(n).setReason("NodeStatusUnknown");
        n.getMetadata().getLabels().put("tier", "gold");
        join(client.update(n));
        loop.advance(10_000);
        Node fixed = node();
        assertEquals("True", ready(fixed).getStatus());
        assertEquals("gold", fixed.getMetadata().getLabels().get("tier"), "labels set by others are kept");
    }

    @Test
    void aDeletedNodeIsRegisteredAgainWithinAnUpdatePeriod() {
        start(300_000);
        Versioned before = join(store.get(client.keyOf(Resources.NODES, "", "edge-1"))).orElseThrow();
        join(client.delete(Resources.NODES, "", "edge-1"));
        assertEquals(null, node());
        loop.advance(10_000);
        Node again = node();
        assertEquals("True", ready(again).getStatus());
        assertTrue(Long.parseLong(again.getMetadata().getResourceVersion()) > before.revision());
    }

    @Test
    void onlyTheHeartbeatTimeIsIgnoredWhenComparing() {
        start(300_000);
        Node stored = node();
        Node desired = KubeJson.copy(stored, Node.class);
        ready(desired).setLastHeartbeatTime("2099-01-01T00:00:00Z");
        assertTrue(NodeRegistrar.sameExceptHeartbeat(stored, desired));
        ready(desired).setLastTransitionTime("2099-01-01T00:00:00Z");
        assertTrue(!NodeRegistrar.sameExceptHeartbeat(stored, desired));
    }
}
