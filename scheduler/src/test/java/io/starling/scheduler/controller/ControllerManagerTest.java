package io.starling.scheduler.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.starling.core.random.SeededRandom;
import io.starling.dht.kube.StarlingLabels;
import io.starling.scheduler.election.LeaderElectedService;
import io.starling.scheduler.election.LeaderElectionConfig;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ControllerManagerTest {
    @Test
    void objectsHomedInAnotherSiteAreLeftToThatSite() {
        ClusterFixture c = new ClusterFixture();
        c.deployment("theirs", 2, "nginx:1", d -> d.getMetadata()
                .setAnnotations(new TreeMap<>(Map.of(StarlingLabels.HOME_SITE, "s2"))));
        c.deployment("ours", 2, "nginx:1", d -> d.getMetadata()
                .setAnnotations(new TreeMap<>(Map.of(StarlingLabels.HOME_SITE, "s1"))));
        c.deployment("unhomed", 1, "nginx:1", d -> {});
        assertEquals(2, c.replicaSets().size(), "s1 reconciles its own and the unhomed one, not s2's");
        assertTrue(c.replicaSets().stream().noneMatch(rs -> rs.getMetadata().getName().startsWith("theirs-")));
        assertEquals(3, c.pods().size());
        assertTrue(c.pods().stream().filter(p -> p.getMetadata().getName().startsWith("ours-"))
                .allMatch(p -> "s1".equals(p.getMetadata().getAnnotations().get(StarlingLabels.HOME_SITE))),
                "pods inherit the home site");
    }

    @Test
    void onlyTheElectedManagerActsAndAnotherPeerTakesOverAfterACrash() {
        ClusterFixture c = new ClusterFixture(ControllerConfig.forSite("s1"), false);
        java.util.List<String> started = new java.util.ArrayList<>();
        LeaderElectedService a = new LeaderElectedService(c.client, c.loop, LeaderElectionConfig.of("controllers", "s1", "a"), () -> {
            started.add("a");
            return new ControllerManager(ControllerConfig.forSite("s1"), c.client, c.loop, new SeededRandom(1));
        });
        LeaderElectedService b = new LeaderElectedService(c.client, c.loop, LeaderElectionConfig.of("controllers", "s1", "b"), () -> {
            started.add("b");
            return new ControllerManager(ControllerConfig.forSite("s1"), c.client, c.loop, new SeededRandom(2));
        });
        a.start();
        c.settle();
        b.start();
        c.deployment("web", 2, "nginx:1", x -> {});
        c.kubeletUntilStable("n1");
        assertEquals(2, c.pods().size());
        assertEquals(java.util.List.of("a"), started, "b waits while a leads");

        a.elector().abandon(); // peer a dies: its controllers stop, its lease is left to expire
        c.advance(9_000);
        assertTrue(b.isLeader());
        assertEquals(java.util.List.of("a", "b"), started);
        c.editSpec(Deployment.class, "web", d -> d.getSpec().setReplicas(4));
        c.kubeletUntilStable("n1");
        assertEquals(4, c.livePods(p -> true).size(), "b's controllers took over");
    }
}
