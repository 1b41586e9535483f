package io.starling.scheduler.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodMutationsTest {

    @Test
    void bindingSetsNodeAndConditionWithoutTouchingTheOriginal() {
        Pod pod = Fixtures.k8sPod("ns", "p", "A", "1", "1Gi");
        Pod marked = PodMutations.unschedulable(pod, "0/1 nodes are available: 1 Insufficient cpu.", "2026-01-01T00:00:00Z");
        assertTrue(PodMutations.hasUnschedulable(marked, "0/1 nodes are available: 1 Insufficient cpu."));
        assertFalse(PodMutations.hasUnschedulable(marked, "other"));
        assertNull(pod.getStatus().getConditions() == null ? null : pod.getStatus().getConditions().stream().findAny().orElse(null));
        Pod bound = PodMutations.bound(marked, "n1", "2026-01-01T00:00:05Z");
        assertEquals("n1", bound.getSpec().getNodeName());
        assertEquals(1, bound.getStatus().getConditions().size());
        var c = bound.getStatus().getConditions().get(0);
        assertEquals("PodScheduled", c.getType());
        assertEquals("True", c.getStatus());
        assertEquals("2026-01-01T00:00:05Z", c.getLastTransitionTime());
        assertNull(marked.getSpec().getNodeName());
    }

    @Test
    void spillAndRejectionAreRecordedInAnnotations() {
        Pod pod = Fixtures.k8sPod("ns", "p", "A", "1", "1Gi");
        Pod spilled = PodMutations.spilled(pod, "B", "why", "t");
        assertEquals("B", PodMutations.spilledTo(spilled));
        Pod back = PodMutations.spillRejected(spilled, "B", 1234, "no room", "t");
        assertNull(PodMutations.spilledTo(back));
        assertEquals(Map.of("B", 1234L), PodMutations.rejectedSites(back));
        Pod again = PodMutations.spillRejected(PodMutations.spilled(back, "C", "why", "t"), "C", 99, "no room", "t");
        assertEquals(Map.of("B", 1234L, "C", 99L), PodMutations.rejectedSites(again));
        again.getMetadata().getAnnotations().put(PodMutations.SPILL_REJECTED, "garbage,D@x,E@5");
        assertEquals(Map.of("E", 5L), PodMutations.rejectedSites(again));
    }

    @Test
    void eventNamesThePodAndTheScheduler() {
        Pod pod = Fixtures.k8sPod("ns", "p", "A", "1", "1Gi");
        pod.getMetadata().setUid("u-1");
        var e = PodMutations.event(pod, "Warning", "FailedScheduling", "msg", "A", "abc", "t");
        assertEquals("p.abc", e.getMetadata().getName());
        assertEquals("ns", e.getMetadata().getNamespace());
        assertEquals("Pod", e.getInvolvedObject().getKind());
        assertEquals("u-1", e.getInvolvedObject().getUid());
        assertEquals("starling-scheduler", e.getSource().getComponent());
    }
}
