package io.starling.runtime.agent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateRunning;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.starling.runtime.backend.ContainerInfo;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Computes a pod's status from what the backend reports plus the agent's per-pod memory. Pure: the
 * same observations give the same status, and conditions keep their lastTransitionTime while their
 * status does not change, so an unchanged pod produces byte-identical status and no write.
 */
final class PodStatusBuilder {
    private PodStatusBuilder() {}

    /** Instances of one container name in the current sandbox, oldest attempt first. */
    record Instances(List<ContainerInfo> byAttempt) {
        ContainerInfo latest() {
            return byAttempt.isEmpty() ? null : byAttempt.get(byAttempt.size() - 1);
        }

        ContainerInfo previous() {
            return byAttempt.size() < 2 ? null : byAttempt.get(byAttempt.size() - 2);
        }
    }

    record Observed(Map<String, Instances> byName, boolean initDone, boolean initFailed) {}

    static PodStatus build(Pod pod, Observed obs, PodState state, String runtimeName, String nodeIP, long wallMillis) {
        PodStatus prev = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        String now = seconds(wallMillis);
        PodStatus s = new PodStatus();
        s.setHostIP(nodeIP);
        s.setHostIPs(List.of(new HostIP(nodeIP)));
        s.setPodIP(nodeIP);
        s.setPodIPs(List.of(new PodIP(nodeIP)));
        s.setStartTime(prev.getStartTime() != null ? prev.getStartTime() : now);
        s.setQosClass(qosClass(pod));
        String policy = restartPolicy(pod);

        List<ContainerStatus> inits = new ArrayList<>();
        if (pod.getSpec().getInitContainers() != null) {
            for (Container c : pod.getSpec().getInitContainers()) {
                inits.add(containerStatus(c, obs.byName().get(c.getName()), state, runtimeName, false, true));
            }
        }
        List<ContainerStatus> mains = new ArrayList<>();
        List<String> unready = new ArrayList<>();
        boolean anyRunning = false;
        boolean allFinished = true;
        boolean allSucceeded = true;
        for (Container c : pod.getSpec().getContainers()) {
            Instances inst = obs.byName().get(c.getName());
            ContainerStatus cs = containerStatus(c, inst, state, runtimeName, !obs.initDone(), false);
            mains.add(cs);
            if (!Boolean.TRUE.equals(cs.getReady())) {
                unready.add(c.getName());
            }
            ContainerInfo latest = inst == null ? null : inst.latest();
            if (latest != null && latest.state() == ContainerInfo.State.RUNNING) {
                anyRunning = true;
            }
            boolean finished = latest != null && latest.state() == ContainerInfo.State.EXITED
                    && !willRestart(policy, latest.exitCode());
            allFinished &= finished;
            allSucceeded &= finished && latest.exitCode() == 0;
        }
        s.setInitContainerStatuses(inits.isEmpty() ? null : inits);
        s.setContainerStatuses(mains);

        String phase;
        if (obs.initFailed()) {
            phase = "Failed";
        } else if (!obs.initDone()) {
            phase = "Pending";
        } else if (allFinished) {
            phase = allSucceeded ? "Succeeded" : "Failed";
        } else if (anyRunning || mains.stream().allMatch(cs -> cs.getRestartCount() > 0 || cs.getState().getTerminated() != null
                || cs.getState().getRunning() != null || (cs.getState().getWaiting() != null
                && "CrashLoopBackOff".equals(cs.getState().getWaiting().getReason())))) {
            phase = "Running";
        } else {
            phase = "Pending";
        }
        s.setPhase(phase);

        boolean terminal = phase.equals("Succeeded") || phase.equals("Failed");
        List<PodCondition> conds = new ArrayList<>();
        conds.add(condition(prev, "Initialized", obs.initDone() || terminal && !obs.initFailed(),
                obs.initDone() ? null : "ContainersNotInitialized",
                obs.initDone() ? null : "containers with incomplete status: " + incompleteInits(pod, obs), now));
        boolean ready = unready.isEmpty() && !terminal;
        String unreadyMsg = "containers with unready status: [" + String.join(" ", unready) + "]";
        conds.add(condition(prev, "Ready", ready, ready ? null : terminal ? "PodCompleted" : "ContainersNotReady",
                ready || terminal ? null : unreadyMsg, now));
        conds.add(condition(prev, "ContainersReady", ready, ready ? null : terminal ? "PodCompleted" : "ContainersNotReady",
                ready || terminal ? null : unreadyMsg, now));
        PodCondition scheduled = find(prev, "PodScheduled");
        conds.add(scheduled != null ? scheduled : condition(prev, "PodScheduled", true, null, null, now));
        s.setConditions(conds);
        return s;
    }

    private static String incompleteInits(Pod pod, Observed obs) {
        List<String> names = new ArrayList<>();
        if (pod.getSpec().getInitContainers() != null) {
            for (Container c : pod.getSpec().getInitContainers()) {
                Instances inst = obs.byName().get(c.getName());
                ContainerInfo l = inst == null ? null : inst.latest();
                if (l == null || l.state() != ContainerInfo.State.EXITED || l.exitCode() != 0) {
                    names.add(c.getName());
                }
            }
        }
        return "[" + String.join(" ", names) + "]";
    }

    static ContainerStatus containerStatus(Container c, Instances inst, PodState state, String runtime, boolean podInitializing,
                                           boolean init) {
        ContainerStatus cs = new ContainerStatus();
        cs.setName(c.getName());
        cs.setImage(c.getImage());
        cs.setImageID("");
        ContainerInfo latest = inst == null ? null : inst.latest();
        ContainerInfo previous = inst == null ? null : inst.previous();
        PodState.Waiting waiting = state.waiting.get(c.getName());
        cs.setRestartCount(latest == null ? 0 : latest.attempt());
        boolean started = false;
        boolean ready = false;
        ContainerState st = new ContainerState();
        ContainerState last = new ContainerState();
        if (latest != null) {
            cs.setContainerID(runtime + "://" + latest.id());
            cs.setImageID(latest.imageRef());
        }
        if (latest != null && latest.state() == ContainerInfo.State.RUNNING) {
            st.setRunning(new ContainerStateRunning(nanosToSeconds(latest.startedAtNanos())));
            PodState.ProbeState ps = state.probes.get(latest.id());
            started = ps == null ? c.getStartupProbe() == null : ps.startupDone;
            ready = started && (c.getReadinessProbe() == null || (ps != null && Boolean.TRUE.equals(ps.readiness.passing)));
            if (init) {
                ready = false;
            }
            if (previous != null) {
                last.setTerminated(terminated(previous, runtime));
            }
        } else if (latest != null && latest.state() == ContainerInfo.State.EXITED && waiting == null) {
            st.setTerminated(terminated(latest, runtime));
            if (previous != null) {
                last.setTerminated(terminated(previous, runtime));
            }
            ready = init && latest.exitCode() == 0;
        } else {
            String reason = waiting != null ? waiting.reason() : podInitializing ? "PodInitializing" : "ContainerCreating";
            st.setWaiting(new ContainerStateWaiting(waiting != null ? waiting.message() : null, reason));
            if (latest != null && latest.state() == ContainerInfo.State.EXITED) {
                last.setTerminated(terminated(latest, runtime));
            } else if (previous != null) {
                last.setTerminated(terminated(previous, runtime));
            }
        }
        cs.setState(st);
        cs.setLastState(last);
        cs.setStarted(init ? null : started);
        cs.setReady(ready);
        return cs;
    }

    private static ContainerStateTerminated terminated(ContainerInfo i, String runtime) {
        ContainerStateTerminated t = new ContainerStateTerminated();
        t.setContainerID(runtime + "://" + i.id());
        t.setExitCode(i.exitCode());
        String reason = i.reason() == null || i.reason().isEmpty() ? (i.exitCode() == 0 ? "Completed" : "Error") : i.reason();
        t.setReason(reason);
        if (i.message() != null && !i.message().isEmpty()) {
            t.setMessage(i.message());
        }
        t.setStartedAt(i.startedAtNanos() > 0 ? nanosToSeconds(i.startedAtNanos()) : null);
        t.setFinishedAt(i.finishedAtNanos() > 0 ? nanosToSeconds(i.finishedAtNanos()) : null);
        return t;
    }

    static boolean willRestart(String policy, int exitCode) {
        return "Always".equals(policy) || ("OnFailure".equals(policy) && exitCode != 0);
    }

    static String restartPolicy(Pod pod) {
        String p = pod.getSpec().getRestartPolicy();
        return p == null || p.isEmpty() ? "Always" : p;
    }

    private static PodCondition condition(PodStatus prev, String type, boolean status, String reason, String message, String now) {
        PodCondition old = find(prev, type);
        String st = status ? "True" : "False";
        PodCondition c = new PodCondition();
        c.setType(type);
        c.setStatus(st);
        c.setReason(reason);
        c.setMessage(message);
        c.setLastTransitionTime(old != null && st.equals(old.getStatus()) && old.getLastTransitionTime() != null
                ? old.getLastTransitionTime() : now);
        return c;
    }

    private static PodCondition find(PodStatus s, String type) {
        if (s.getConditions() == null) {
            return null;
        }
        return s.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    static String qosClass(Pod pod) {
        boolean any = false;
        boolean guaranteed = true;
        for (Container c : EnvResolver.allContainers(pod)) {
            Map<String, Quantity> lim = c.getResources() == null ? null : c.getResources().getLimits();
            Map<String, Quantity> req = c.getResources() == null ? null : c.getResources().getRequests();
            if ((lim != null && !lim.isEmpty()) || (req != null && !req.isEmpty())) {
                any = true;
            }
            for (String r : List.of("cpu", "memory")) {
                Quantity l = lim == null ? null : lim.get(r);
                Quantity q = req == null ? l : req.getOrDefault(r, l);
                if (l == null || q == null || Quantity.getAmountInBytes(l).compareTo(Quantity.getAmountInBytes(q)) != 0) {
                    guaranteed = false;
                }
            }
        }
        return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
    }

    static String seconds(long wallMillis) {
        return Instant.ofEpochMilli(wallMillis).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String nanosToSeconds(long nanos) {
        return Instant.ofEpochSecond(nanos / 1_000_000_000L).toString();
    }
}
