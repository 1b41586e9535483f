package io.starling.scheduler.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetSpec;
import io.starling.dht.kube.Resources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * From any interleaving of scale changes, pod deletions (graceful and forced), pods becoming
 * ready and time passing, the ReplicaSet controller ends with exactly spec.replicas active pods
 * once the events stop.
 */
class ReplicaSetConvergencePropertyTest {
    enum Kind { SCALE, DELETE_POD, FORCE_DELETE_POD, READY, FINALIZE, TICK }

    record Step(Kind kind, int arg, int waitMillis) {}

    static Gen<List<Step>> steps() {
        Gen<Step> step = Generate.enumValues(Kind.class).zip(integers().between(0, 7),
                integers().between(0, 40), Step::new);
        return lists().of(step).ofSizeBetween(0, 40);
    }

    @Test
    void replicaSetConvergesToDesiredCount() {
        qt().withExamples(30).forAll(steps()).checkAssert(ReplicaSetConvergencePropertyTest::convergesFor);
    }

    private static void convergesFor(List<Step> steps) {
        ClusterFixture c = new ClusterFixture();
        ReplicaSet rs = new ReplicaSet();
        rs.setMetadata(ClusterFixture.meta("web", "default"));
        ReplicaSetSpec spec = new ReplicaSetSpec();
        spec.setReplicas(3);
        LabelSelector sel = new LabelSelector();
        sel.setMatchLabels(Map.of("app", "web"));
        spec.setSelector(sel);
        PodTemplateSpec t = new PodTemplateSpec();
        t.setMetadata(new ObjectMeta());
        t.getMetadata().setLabels(Map.of("app", "web"));
        PodSpec ps = new PodSpec();
        Container ct = new Container();
        ct.setName("main");
        ct.setImage("nginx");
        ps.setContainers(List.of(ct));
        t.setSpec(ps);
        spec.setTemplate(t);
        rs.setSpec(spec);
        c.client.create(rs);
        int desired = 3;
        for (Step s : steps) {
            switch (s.kind()) {
                case SCALE -> {
                    // write without waiting, so writes race the controller
                    desired = s.arg();
                    int want = desired;
                    c.client.get(ReplicaSet.class, "default", "web").thenAccept(cur -> cur.ifPresent(r -> {
                        r.getSpec().setReplicas(want);
                        r.getMetadata().setGeneration(r.getMetadata().getGeneration() + 1);
                        c.client.update(r).exceptionally(e -> null);
                    }));
                    // a lost race (409) means the earlier value stays: read back what is desired
                    c.loop.runUntilIdle();
                    desired = c.await(c.client.get(ReplicaSet.class, "default", "web")).orElseThrow().getSpec().getReplicas();
                }
                case DELETE_POD, FORCE_DELETE_POD -> {
                    List<Pod> pods = c.pods();
                    if (!pods.isEmpty()) {
                        Pod victim = pods.get(s.arg() % pods.size());
                        if (s.kind() == Kind.FORCE_DELETE_POD) {
                            c.client.delete(Resources.PODS, "default", victim.getMetadata().getName()).exceptionally(e -> null);
                        } else {
                            c.manager.context().pods().delete(victim).exceptionally(e -> null);
                        }
                    }
                }
                case READY -> c.runAndReady("n1", p -> p.getMetadata().getName().hashCode() % 2 == s.arg() % 2);
                case FINALIZE -> c.finalizeTerminating();
                case TICK -> { }
            }
            c.advance(s.waitMillis());
        }
        // events stop: let the agent finish what was started, then the controller settle
        for (int i = 0; i < 10; i++) {
            c.finalizeTerminating();
            c.advance(500);
        }
        long active = c.pods().stream().filter(Pods::isActive).count();
        assertEquals(desired, active, "active pods after quiescence");
        ReplicaSet now = c.await(c.client.get(ReplicaSet.class, "default", "web")).orElseThrow();
        assertEquals(desired, now.getStatus().getReplicas());
        c.manager.controllers().forEach(k -> k.queue().checkInvariants());
    }
}
