package io.starling.scheduler.controller.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class RolloutMathTest {
    private static PodTemplateSpec template(Map<String, String> labels, String image) {
        PodTemplateSpec t = new PodTemplateSpec();
        t.setMetadata(new ObjectMeta());
        t.getMetadata().setLabels(labels);
        PodSpec ps = new PodSpec();
        Container c = new Container();
        c.setName("main");
        c.setImage(image);
        ps.setContainers(List.of(c));
        t.setSpec(ps);
        return t;
    }

    @Test
    void percentagesRoundLikeKubernetes() {
        assertEquals(1, RolloutMath.resolve(new IntOrString("25%"), 3, true));
        assertEquals(0, RolloutMath.resolve(new IntOrString("25%"), 3, false));
        assertEquals(3, RolloutMath.resolve(new IntOrString(3), 10, false));
        assertEquals(5, RolloutMath.resolve(new IntOrString("50%"), 10, true));
    }

    @Test
    void templateHashIgnoresMapOrderAndTheHashLabelButNotContent() {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("a", "1");
        ab.put("b", "2");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("b", "2");
        ba.put("a", "1");
        String h1 = PodTemplateHash.of(template(ab, "x:1"), null);
        assertEquals(h1, PodTemplateHash.of(template(ba, "x:1"), null));
        assertNotEquals(h1, PodTemplateHash.of(template(ab, "x:2"), null));
        assertNotEquals(h1, PodTemplateHash.of(template(ab, "x:1"), 1), "collision count changes the hash");
        assertTrue(h1.matches("[bcdfghjklmnpqrstvwxz2456789]+"), h1);
        Map<String, String> withHash = new LinkedHashMap<>(ba);
        withHash.put(PodTemplateHash.LABEL, h1);
        assertTrue(PodTemplateHash.equalIgnoringHash(template(ab, "x:1"), template(withHash, "x:1")));
        assertFalse(PodTemplateHash.equalIgnoringHash(template(ab, "x:1"), template(withHash, "x:2")));
    }

    record Rolling(int replicas, int surge, int unavailable, int newCurrent, int oldCurrent) {}

    static Gen<Rolling> rolling() {
        return integers().between(1, 20).zip(integers().between(0, 5), integers().between(0, 5),
                integers().between(0, 20), integers().between(0, 20), Rolling::new);
    }

    @Test
    void rollingBoundsHold() {
        qt().withExamples(1000).forAll(rolling()).checkAssert(r ->
                rollingBoundsHoldFor(r.replicas(), r.surge(), r.unavailable(), r.newCurrent(), r.oldCurrent()));
    }

    private static void rollingBoundsHoldFor(int replicas, int surge, int unavailable, int newCurrent, int oldCurrent) {
        int maxUnavailable = surge == 0 && unavailable == 0 ? 1 : Math.min(unavailable, replicas);
        RolloutMath.Limits l = new RolloutMath.Limits(surge, maxUnavailable);
        int all = newCurrent + oldCurrent;
        int target = RolloutMath.newReplicaSetTarget(replicas, l, newCurrent, all);
        if (newCurrent < replicas) {
            assertTrue(target >= newCurrent && target <= replicas);
            assertTrue(target - newCurrent + all <= Math.max(all, replicas + surge), "surge bound");
        }
        int budget = RolloutMath.oldScaleDownBudget(replicas, l, all, newCurrent, 0);
        assertTrue(all - budget >= Math.min(all, replicas - maxUnavailable + newCurrent) || budget == 0,
                "scale-down keeps the floor");
    }
}
