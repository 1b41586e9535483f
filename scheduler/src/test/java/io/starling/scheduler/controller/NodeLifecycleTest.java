package io.starling.scheduler.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Toleration;
import io.starling.dht.kube.KubeJson;
import io.starling.scheduler.controller.node.NodeLifecycleController;
import io.starling.scheduler.controller.node.SiteSettings;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class NodeLifecycleTest {
    private final ClusterFixture c = new ClusterFixture();

    private Node node(String name) {
        return c.await(c.client.get(Node.class, "", name)).orElseThrow();
    }

    private static String ready(Node n) {
        return n.getStatus().getConditions().stream().filter(x -> "Ready".equals(x.getType())).findFirst().orElseThrow().getStatus();
    }

    private static boolean tainted(Node n) {
        return n.getSpec() != null && n.getSpec().getTaints() != null
                && n.getSpec().getTaints().stream().anyMatch(t -> NodeLifecycleController.UNREACHABLE.equals(t.getKey()));
    }

    @Test
    void aSiteSettingsConfigMapShortensGraceAndEviction() {
        c.namespace("kube-system");
        ConfigMap settings = new ConfigMap();
        settings.setMetadata(ClusterFixture.meta(SiteSettings.configMapName("s1"), "kube-system"));
        settings.setData(Map.of(SiteSettings.NODE_GRACE_PERIOD, "4s", SiteSettings.POD_EVICTION_TIMEOUT, "2s"));
        c.await(c.client.create(settings));
        c.node("n2", "s1");
        c.deployment("web", 2, "nginx:1", x -> {});
        c.kubeletUntilStable("n1");
        Set<String> before = c.pods().stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());

        c.stopHeartbeat("n1");
        long stoppedAt = c.loop.nowMillis();
        assertTrue(c.loop.advanceUntil(() -> "Unknown".equals(ready(node("n1"))), 100, 20_000));
        long notReadyAfter = c.loop.nowMillis() - stoppedAt;
        assertTrue(notReadyAfter >= 4_000 - 2_000 && notReadyAfter <= 4_000 + 1_500, "grace ~4 s, was " + notReadyAfter);
        long taintedAt = c.loop.nowMillis();
        assertTrue(c.loop.advanceUntil(() -> c.pods().stream().noneMatch(p -> before.contains(p.getMetadata().getName())),
                100, 10_000), "evicted");
        long evictedAfter = c.loop.nowMillis() - taintedAt;
        assertTrue(evictedAfter >= 1_500 && evictedAfter <= 3_500, "eviction ~2 s after the taint, was " + evictedAfter);
    }

    @Test
    void anInvalidSettingFallsBackToTheDefault() {
        c.namespace("kube-system");
        ConfigMap settings = new ConfigMap();
        settings.setMetadata(ClusterFixture.meta(SiteSettings.configMapName("s1"), "kube-system"));
        settings.setData(Map.of(SiteSettings.NODE_GRACE_PERIOD, "soon"));
        c.await(c.client.create(settings));
        c.stopHeartbeat("n1");
        long stoppedAt = c.loop.nowMillis();
        assertTrue(c.loop.advanceUntil(() -> "Unknown".equals(ready(node("n1"))), 200, 20_000));
        long notReadyAfter = c.loop.nowMillis() - stoppedAt;
        assertTrue(notReadyAfter >= 10_000 - 2_000 && notReadyAfter <= 10_000 + 2_000, "default 10 s, was " + notReadyAfter);
    }

    @Test
    void expiredLeaseMakesNodeNotReadyAndPodsAreReplacedAfterTheToleration() {
        c.node("n2", "s1");
        c.deployment("web", 2, "nginx:1", x -> {});
        c.kubeletUntilStable("n1");
        Set<String> before = c.pods().stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
        // a third pod tolerates the taint forever
        Pod tolerant = new Pod();
        tolerant.setMetadata(ClusterFixture.meta("tolerant", "default"));
        tolerant.setSpec(new io.fabric8.kubernetes.api.model.PodSpec());
        tolerant.getSpec().setNodeName("n1");
        Toleration t = new Toleration();
        t.setKey(NodeLifecycleController.UNREACHABLE);
        t.setOperator("Exists");
        t.setEffect("NoExecute");
        tolerant.getSpec().setTolerations(List.of(t));
        c.await(c.client.create(tolerant));

        c.stopHeartbeat("n1");
        long stoppedAt = c.loop.nowMillis();
        assertTrue(c.loop.advanceUntil(() -> "Unknown".equals(ready(node("n1"))), 200, 20_000));
        long notReadyAfter = c.loop.nowMillis() - stoppedAt;
        assertTrue(notReadyAfter >= 10_000 - 2_000 && notReadyAfter <= 10_000 + 2_000, "grace ~10 s, was " + notReadyAfter);
        assertTrue(tainted(node("n1")));
        assertEquals("True", ready(node("n2")));
        assertEquals(3, c.pods().size(), "pods stay during the toleration period");

        c.advance(9_000);
        assertEquals(3, c.pods().size());
        c.advance(2_500);
        List<Pod> left = c.pods();
        assertTrue(left.stream().anyMatch(p -> p.getMetadata().getName().equals("tolerant")));
        assertTrue(left.stream().noneMatch(p -> before.contains(p.getMetadata().getName())), "evicted pods are gone");
        assertEquals(2, left.stream().filter(p -> p.getMetadata().getName().startsWith("web-")).count(), "replaced");
        List<Event> events = c.await(c.client.list(Event.class, "default"));
        assertTrue(events.stream().anyMatch(e -> "NodeNotReady".equals(e.getReason())));
        assertTrue(events.stream().anyMatch(e -> "TaintManagerEviction".equals(e.getReason())));

        // the node comes back: Ready again, taint removed
        c.startHeartbeat("n1");
        c.advance(3_000);
        assertEquals("True", ready(node("n1")));
        assertFalse(tainted(node("n1")));
        assertNotNull(KubeJson.toBytes(node("n1")));
    }

    @Test
    void podTolerationSecondsIsHonoured() {
        c.stopHeartbeat("n1");
        Pod p = new Pod();
        p.setMetadata(ClusterFixture.meta("short", "default"));
        p.setSpec(new io.fabric8.kubernetes.api.model.PodSpec());
        p.getSpec().setNodeName("n1");
        Toleration t = new Toleration();
        t.setKey(NodeLifecycleController.UNREACHABLE);
        t.setOperator("Exists");
        t.setEffect("NoExecute");
        t.setTolerationSeconds(30L);
        p.getSpec().setTolerations(List.of(t));
        c.await(c.client.create(p));
        assertTrue(c.loop.advanceUntil(() -> tainted(node("n1")), 200, 20_000));
        c.advance(25_000);
        assertEquals(1, c.pods().size(), "tolerates 30 s");
        c.advance(7_000);
        assertEquals(0, c.pods().size());
    }

    @Test
    void theLeaseAloneKeepsANodeReadyWhateverItsLastHeartbeatTime() {
        // agents write the Node's status only on change or every 5 min (kubelet 1.17+): an old
        // lastHeartbeatTime must not make the node NotReady while its Lease is renewed
        Node n1 = KubeJson.copy(node("n1"), Node.class);
        n1.getStatus().getConditions().get(0).setLastHeartbeatTime("2020-01-01T00:00:00Z");
        c.await(c.client.update(n1));
        c.advance(60_000);
        assertEquals("True", ready(node("n1")));
        assertFalse(tainted(node("n1")));
    }

    @Test
    void anotherSitesNodeIsLeftToThatSitesController() {
        c.node("far", "s2");
        c.advance(3_000);
        c.stopHeartbeat("far");
        c.advance(40_000);
        assertEquals("True", ready(node("far")), "only s2's controller may mark it");
        assertFalse(tainted(node("far")));
        c.stopHeartbeat("n1");
        assertTrue(c.loop.advanceUntil(() -> "Unknown".equals(ready(node("n1"))), 200, 20_000), "its own nodes it does mark");
    }
}
