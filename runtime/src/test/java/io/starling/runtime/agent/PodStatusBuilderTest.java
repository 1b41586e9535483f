package io.starling.runtime.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.starling.dht.kube.KubeJson;
import io.starling.runtime.backend.ContainerInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodStatusBuilderTest {
    private static final long T = 1_790_000_000_000L;

    private static ContainerInfo inst(String id, int attempt, ContainerInfo.State state, int exit) {
        long started = (T - 5000) * 1_000_000L;
        return new ContainerInfo(id, "sb", "app", attempt, state, started, started,
                state == ContainerInfo.State.EXITED ? T * 1_000_000L : 0, exit, "", "", "sha256:x", Path.of("/dev/null"), Map.of());
    }

    private static Pod pod(String policy) {
        Pod p = Pods.pod("default", "p", "n", Pods.shell("app", "img:1", "true"));
        p.getSpec().setRestartPolicy(policy);
        p.getMetadata().setUid("u");
        return p;
    }

    private static PodStatus build(Pod p, PodState state, ContainerInfo... instances) {
        var obs = new PodStatusBuilder.Observed(Map.of("app", new PodStatusBuilder.Instances(List.of(instances))), true, false);
        return PodStatusBuilder.build(p, obs, state, "memory", "10.0.0.1", T);
    }

    @Test
    void runningContainerWithoutProbesIsReadyAndTheStatusIsStable() {
        Pod p = pod("Always");
        PodState state = new PodState("u");
        PodStatus s1 = build(p, state, inst("c1", 0, ContainerInfo.State.RUNNING, 0));
        assertEquals("Running", s1.getPhase());
        assertTrue(Pods.runningReady(withStatus(p, s1)));
        // Later syncs of the same observation produce the same bytes (no status write).
        Pod written = withStatus(p, s1);
        PodStatus s2 = PodStatusBuilder.build(written, new PodStatusBuilder.Observed(
                Map.of("app", new PodStatusBuilder.Instances(List.of(inst("c1", 0, ContainerInfo.State.RUNNING, 0)))), true, false),
                state, "memory", "10.0.0.1", T + 60_000);
        assertArrayEquals(KubeJson.toBytes(s1), KubeJson.toBytes(s2));
    }

    @Test
    void crashLoopShowsWaitingWithTheLastTermination() {
        PodState state = new PodState("u");
        state.waiting.put("app", new PodState.Waiting("CrashLoopBackOff", "back-off 10s"));
        PodStatus s = build(pod("Always"), state, inst("c1", 0, ContainerInfo.State.EXITED, 1));
        var cs = s.getContainerStatuses().get(0);
        assertEquals("CrashLoopBackOff", cs.getState().getWaiting().getReason());
        assertEquals(1, cs.getLastState().getTerminated().getExitCode());
        assertEquals("Running", s.getPhase());
        assertFalse(cs.getReady());
    }

    @Test
    void terminalPhasesFollowTheRestartPolicy() {
        assertEquals("Failed", build(pod("Never"), new PodState("u"), inst("c1", 0, ContainerInfo.State.EXITED, 3)).getPhase());
        assertEquals("Succeeded", build(pod("OnFailure"), new PodState("u"), inst("c1", 0, ContainerInfo.State.EXITED, 0)).getPhase());
        PodStatus done = build(pod("Never"), new PodState("u"), inst("c1", 0, ContainerInfo.State.EXITED, 0));
        assertEquals("Succeeded", done.getPhase());
        assertEquals("PodCompleted", done.getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElseThrow().getReason());
    }

    @Test
    void restartCountAndPreviousInstance() {
        PodStatus s = build(pod("Always"), new PodState("u"), inst("c1", 0, ContainerInfo.State.EXITED, 2),
                inst("c2", 1, ContainerInfo.State.RUNNING, 0));
        var cs = s.getContainerStatuses().get(0);
        assertEquals(1, cs.getRestartCount());
        assertEquals("memory://c2", cs.getContainerID());
        assertEquals("memory://c1", cs.getLastState().getTerminated().getContainerID());
    }

    private static Pod withStatus(Pod p, PodStatus s) {
        Pod copy = KubeJson.copy(p, Pod.class);
        copy.setStatus(s);
        return copy;
    }
}
