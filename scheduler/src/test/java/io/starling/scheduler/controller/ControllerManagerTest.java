package io.starling.scheduler.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.starling.core.random.SeededRandom;
import io.starling.dht.kube.StarlingLabels;
import io.starling.scheduler.election.LeaderCallbacks;
import io.starling.scheduler.election.LeaderElectionConfig;
import io.starling.scheduler.election.LeaderElector;
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
    void onlyTheElectedManagerActsAndTheOtherTakesOverAfterAFailure() {
        ClusterFixture c = new ClusterFixture(ControllerConfig.forSite("s1"));
        // the fixture's own manager stands for peer A; it leads until it "dies" (stop + abandoned lease)
        ControllerManager[] b = {null};
        LeaderElector electorA = new LeaderElector(c.client, c.loop, LeaderElectionConfig.of("controllers", "s1", "a"),
                new LeaderCallbacks() {
                    @Override
                    public void onStartedLeading() {}

                    @Override
                    public void onStoppedLeading() {
                        c.manager.stop();
                    }
                });
        LeaderElector electorB = new LeaderElector(c.client, c.loop, LeaderElectionConfig.of("controllers", "s1", "b"),
                new LeaderCallbacks() {
                    @Override
                    public void onStartedLeading() {
                        b[0] = new ControllerManager(ControllerConfig.forSite("s1"), c.client, c.loop, new SeededRandom(9));
                        b[0].start();
                    }

                    @Override
                    public void onStoppedLeading() {
                        b[0].stop();
                    }
                });
        electorA.start();
        c.settle();
        electorB.start();
        c.deployment("web", 2, "nginx:1", x -> {});
        c.kubeletUntilStable("n1");
        assertEquals(2, c.pods().size());
        assertEquals(null, b[0], "b waits while a leads");

        electorA.abandon(); // peer A dies: its controllers stop, its lease is left to expire
        c.advance(9_000);
        assertTrue(electorB.isLeader());
        c.editSpec(Deployment.class, "web", d -> d.getSpec().setReplicas(4));
        c.kubeletUntilStable("n1");
        assertEquals(4, c.livePods(p -> true).size(), "b's controllers took over");
    }
}
