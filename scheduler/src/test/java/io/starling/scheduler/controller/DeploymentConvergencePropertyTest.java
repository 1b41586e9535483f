package io.starling.scheduler.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import io.starling.dht.kube.Resources;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * From any interleaving of scale changes, new images (rollouts and roll-backs), pod deletions,
 * pods becoming ready and strategy limits, a Deployment ends with exactly its replicas, all from
 * the current template, all in one ReplicaSet, and a status that `kubectl rollout status` accepts.
 */
class DeploymentConvergencePropertyTest {
    enum Kind { SCALE, IMAGE, DELETE_POD, READY, FINALIZE, TICK }

    record Step(Kind kind, int arg, int waitMillis) {}

    static Gen<List<Step>> steps() {
        Gen<Step> step = Generate.enumValues(Kind.class).zip(integers().between(0, 5),
                integers().between(0, 300), Step::new);
        return lists().of(step).ofSizeBetween(0, 30);
    }

    static Gen<String> limits() {
        return Generate.pick(List.of("0/1", "1/0", "25%/25%", "2/2", "recreate"));
    }

    @Test
    void deploymentConverges() {
        qt().withExamples(20).forAll(steps(), limits()).checkAssert(DeploymentConvergencePropertyTest::convergesFor);
    }

    private static void convergesFor(List<Step> steps, String limits) {
        ClusterFixture c = new ClusterFixture();
        c.deployment("web", 3, "img:0", d -> {
            DeploymentStrategy s = new DeploymentStrategy();
            if (limits.equals("recreate")) {
                s.setType("Recreate");
            } else {
                String[] p = limits.split("/");
                s.setType("RollingUpdate");
                RollingUpdateDeployment ru = new RollingUpdateDeployment();
                ru.setMaxSurge(p[0].endsWith("%") ? new IntOrString(p[0]) : new IntOrString(Integer.parseInt(p[0])));
                ru.setMaxUnavailable(p[1].endsWith("%") ? new IntOrString(p[1]) : new IntOrString(Integer.parseInt(p[1])));
                s.setRollingUpdate(ru);
            }
            d.getSpec().setStrategy(s);
        });
        for (Step s : steps) {
            switch (s.kind()) {
                case SCALE -> c.editSpec(Deployment.class, "web", d -> d.getSpec().setReplicas(s.arg()));
                case IMAGE -> c.editSpec(Deployment.class, "web",
                        d -> d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("img:" + (s.arg() % 3)));
                case DELETE_POD -> {
                    List<Pod> pods = c.pods();
                    if (!pods.isEmpty()) {
                        c.client.delete(Resources.PODS, "default", pods.get(s.arg() % pods.size()).getMetadata().getName())
                                .exceptionally(e -> null);
                    }
                }
                case READY -> c.runAndReady("n1", p -> true);
                case FINALIZE -> c.finalizeTerminating();
                case TICK -> { }
            }
            c.advance(s.waitMillis());
        }
        for (int i = 0; i < 40; i++) {
            c.runAndReady("n1", p -> true);
            c.finalizeTerminating();
            c.advance(500);
        }
        Deployment d = c.deploymentNow("web");
        int replicas = d.getSpec().getReplicas();
        String image = d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        List<Pod> pods = c.pods();
        assertEquals(replicas, pods.size(), "pod count");
        assertTrue(pods.stream().allMatch(p -> image.equals(p.getSpec().getContainers().get(0).getImage())), "all current");
        List<ReplicaSet> active = c.replicaSets().stream().filter(r -> r.getSpec().getReplicas() > 0).toList();
        assertTrue(active.size() <= 1, "one active ReplicaSet");
        // what kubectl rollout status checks
        assertTrue(d.getStatus().getObservedGeneration() >= d.getMetadata().getGeneration());
        assertEquals(replicas, (int) d.getStatus().getUpdatedReplicas());
        assertEquals(replicas, (int) d.getStatus().getReplicas());
        assertEquals(replicas, (int) d.getStatus().getAvailableReplicas());
    }
}
