package io.starling.runtime.agent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.starling.core.time.Clock;
import io.starling.runtime.backend.BackendException;
import io.starling.runtime.backend.ContainerBackend;
import io.starling.runtime.backend.ContainerInfo;
import io.starling.runtime.backend.ContainerSpec;
import io.starling.runtime.backend.Labels;
import io.starling.runtime.backend.SandboxInfo;
import io.starling.runtime.backend.SandboxSpec;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * One level-triggered sync of one pod: compare what the pod asks for (spec, deletionTimestamp)
 * with what the backend runs, act (sandbox, volumes, init containers in order, containers,
 * probes, restarts with back-off, graceful kill), and compute the status to report. Idempotent:
 * running it twice in a row does nothing the second time. Names are deterministic (sandbox per
 * (pod uid, attempt), container per (sandbox, name, attempt)) so nothing is started twice, also
 * after an agent restart. Blocking; runs on the worker executor, one sync per pod at a time.
 */
final class PodSyncer {
    private static final Logger LOG = Logger.getLogger(PodSyncer.class.getName());
    private static final long DEFAULT_GRACE_SECONDS = 30;
    /** A container that ran this long before failing restarts with the initial back-off again. */
    private static final long BACKOFF_RESET_AFTER_MILLIS = 10 * 60_000L;

    private final NodeAgentConfig cfg;
    private final ContainerBackend backend;
    private final Clock clock;
    private final Backoff backoff;

    PodSyncer(NodeAgentConfig cfg, ContainerBackend backend, Clock clock) {
        this.cfg = cfg;
        this.backend = backend;
        this.clock = clock;
        this.backoff = new Backoff(cfg.initialBackoffMillis(), cfg.maxBackoffMillis(), BACKOFF_RESET_AFTER_MILLIS);
    }

    /**
     * @param status the status to report, null when nothing is to be reported
     * @param finalizeDelete the pod's containers are gone: delete the Pod object
     * @param requeueAfterMillis sync again after this long (probes, back-off); 0 = only on change
     */
    record Result(String uid, io.fabric8.kubernetes.api.model.PodStatus status, List<EventSpec> events,
                  boolean finalizeDelete, long requeueAfterMillis) {}

    /** Mutable context of one sync. */
    private final class Sync {
        final PodInputs in;
        final Pod pod;
        final PodState state;
        final List<EventSpec> events = new ArrayList<>();
        long requeue;
        SandboxInfo sandbox;
        SandboxSpec sandboxSpec;
        Map<String, Path> volumes;
        String volumeError;

        Sync(PodInputs in, PodState state) {
            this.in = in;
            this.pod = in.pod();
            this.state = state;
            this.requeue = cfg.resyncMillis();
        }

        void requeueWithin(long millis) {
            requeue = Math.max(1, Math.min(requeue, millis));
        }

        void once(String key, EventSpec e) {
            if (state.emitted.add(key)) {
                events.add(e);
            }
        }
    }

    Result sync(PodInputs in, PodState state) {
        List<SandboxInfo> sandboxes = backend.listSandboxes().stream()
                .filter(s -> cfg.nodeName().equals(s.labels().get(Labels.NODE)))
                .filter(s -> in.namespace().equals(s.namespace()) && in.name().equals(s.podName()))
                .sorted(Comparator.comparingInt(SandboxInfo::attempt)).toList();
        List<ContainerInfo> containers = ours(backend.listContainers());
        Pod pod = in.pod();
        List<EventSpec> events = new ArrayList<>();
        String uid = pod == null ? null : pod.getMetadata().getUid();
        // Sandboxes of an earlier pod with the same name (or of a pod that is gone): tear down.
        for (SandboxInfo s : sandboxes) {
            if (!s.podUid().equals(uid)) {
                kill(s, containers, cfg.orphanGraceSeconds(), events);
                PodDirs.deleteTree(VolumeBuilder.podDir(cfg.dataDir(), s.podUid()));
            }
        }
        if (pod == null) {
            return new Result(null, null, events, false, 0);
        }
        List<SandboxInfo> mine = sandboxes.stream().filter(s -> s.podUid().equals(uid)).toList();
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            long grace = graceSeconds(pod);
            for (SandboxInfo s : mine) {
                kill(s, containers, grace, events);
            }
            PodDirs.deleteTree(VolumeBuilder.podDir(cfg.dataDir(), uid));
            return new Result(uid, null, events, true, 0);
        }
        Sync s = new Sync(in, state);
        s.events.addAll(events);
        return run(s, mine, containers);
    }

    private Result run(Sync s, List<SandboxInfo> mine, List<ContainerInfo> containers) {
        Pod pod = s.pod;
        String uid = pod.getMetadata().getUid();
        Path podDir = VolumeBuilder.podDir(cfg.dataDir(), uid);
        SandboxInfo ready = mine.stream().filter(SandboxInfo::ready).max(Comparator.comparingInt(SandboxInfo::attempt)).orElse(null);
        int attempt = ready != null ? ready.attempt() : mine.stream().mapToInt(SandboxInfo::attempt).max().orElse(-1) + 1;
        s.sandboxSpec = sandboxSpec(pod, attempt, podDir.resolve("logs"));
        if (ready == null) {
            for (SandboxInfo old : mine) {
                kill(old, containers, 0, s.events);
            }
            try {
                String id = backend.runSandbox(s.sandboxSpec);
                ready = new SandboxInfo(id, uid, pod.getMetadata().getName(), pod.getMetadata().getNamespace(), attempt, true, 0,
                        s.sandboxSpec.labels());
            } catch (BackendException e) {
                s.once("FailedCreatePodSandBox/" + e.getMessage(), EventSpec.warning("FailedCreatePodSandBox",
                        "Failed to create pod sandbox: " + e.getMessage(), null));
                for (Container c : EnvResolver.allContainers(pod)) {
                    s.state.waiting.put(c.getName(), new PodState.Waiting("ContainerCreating", "failed to create pod sandbox: " + e.getMessage()));
                }
                s.requeueWithin(cfg.initialBackoffMillis());
                return finish(s, new TreeMap<>(), false, false);
            }
        }
        s.sandbox = ready;
        try {
            s.volumes = VolumeBuilder.build(podDir, s.in, nodeFacts());
        } catch (ConfigException e) {
            s.volumeError = e.getMessage();
        } catch (IOException e) {
            s.volumeError = "cannot prepare volumes: " + e.getMessage();
        }

        Map<String, List<ContainerInfo>> byName = instances(containers, ready.id());
        boolean initDone = true;
        boolean initFailed = false;
        String policy = PodStatusBuilder.restartPolicy(pod);
        List<Container> inits = pod.getSpec().getInitContainers() == null ? List.of() : pod.getSpec().getInitContainers();
        for (Container ic : inits) {
            ContainerInfo latest = latest(byName, ic.getName());
            if (latest != null && latest.state() == ContainerInfo.State.EXITED && latest.exitCode() == 0) {
                continue;
            }
            initDone = false;
            if (latest == null) {
                startNew(s, ic, 0, true);
            } else if (latest.state() == ContainerInfo.State.EXITED || latest.state() == ContainerInfo.State.CREATED) {
                if ("Never".equals(policy)) {
                    initFailed = true;
                } else {
                    restartWithBackoff(s, ic, latest, true);
                }
            }
            break;
        }
        if (initDone) {
            for (Container c : pod.getSpec().getContainers()) {
                ContainerInfo latest = latest(byName, c.getName());
                if (latest == null) {
                    startNew(s, c, 0, false);
                    continue;
                }
                if (latest.state() == ContainerInfo.State.RUNNING) {
                    s.state.waiting.remove(c.getName());
                    if (probe(s, c, latest)) {
                        latest = refreshed(latest);
                    } else {
                        continue;
                    }
                }
                if (latest.state() == ContainerInfo.State.CREATED) {
                    // Created but never started (a start that failed, or an agent crash in between).
                    backend.removeContainer(latest.id());
                    restartWithBackoff(s, c, latest, false);
                } else if (latest.state() == ContainerInfo.State.EXITED) {
                    if (PodStatusBuilder.willRestart(policy, latest.exitCode())) {
                        restartWithBackoff(s, c, latest, false);
                    } else {
                        s.state.waiting.remove(c.getName());
                    }
                }
            }
        }
        gc(byName);
        return finish(s, instances(backend.listContainers(), ready.id()), initDone, initFailed);
    }

    private Result finish(Sync s, Map<String, List<ContainerInfo>> byName, boolean initDone, boolean initFailed) {
        TreeMap<String, PodStatusBuilder.Instances> inst = new TreeMap<>();
        byName.forEach((k, v) -> inst.put(k, new PodStatusBuilder.Instances(v)));
        // Forget probe and back-off memory of instances that no longer exist.
        List<String> live = byName.values().stream().flatMap(List::stream).map(ContainerInfo::id).toList();
        s.state.probes.keySet().retainAll(live);
        s.state.exitSeenMillis.keySet().retainAll(live);
        var status = PodStatusBuilder.build(s.pod, new PodStatusBuilder.Observed(inst, initDone, initFailed), s.state,
                backend.name(), cfg.internalIP(), clock.wallMillis());
        return new Result(s.pod.getMetadata().getUid(), status, s.events, false, s.requeue);
    }

    /** Starts attempt {@code attempt} of a container; on failure records why it waits. */
    private void startNew(Sync s, Container c, int attempt, boolean init) {
        String field = (init ? "spec.initContainers{" : "spec.containers{") + c.getName() + "}";
        try {
            if (s.volumeError != null) {
                throw new ConfigException(s.volumeError);
            }
            String policy = pullPolicy(c);
            if (backend.imageStatus(c.getImage()).isEmpty()) {
                if ("Never".equals(policy)) {
                    waiting(s, c, "ErrImageNeverPull", "Container image \"" + c.getImage()
                            + "\" is not present with pull policy of Never", field);
                } else {
                    waiting(s, c, "ErrImagePull", "image \"" + c.getImage() + "\" is not present on this node and "
                            + "there is no registry to pull it from: import it into the node's runtime first", field);
                }
                return;
            }
            s.once("Pulled/" + s.sandbox.id() + "/" + c.getName() + "/" + attempt, EventSpec.normal("Pulled",
                    "Container image \"" + c.getImage() + "\" already present on machine", field));
            EnvResolver.NodeFacts node = nodeFacts();
            Map<String, String> env = EnvResolver.resolve(s.pod, c, s.in, node);
            List<io.starling.runtime.backend.VolumeMount> mounts = mounts(s, c);
            List<String> command = expandAll(c.getCommand(), env);
            List<String> args = expandAll(c.getArgs(), env);
            Map<String, String> labels = new TreeMap<>(s.sandboxSpec.labels());
            labels.put(Labels.CONTAINER_NAME, c.getName());
            labels.put(Labels.CONTAINER_KIND, init ? "init" : "regular");
            ContainerSpec spec = new ContainerSpec(c.getName(), attempt, c.getImage(), command, args, c.getWorkingDir(), env,
                    mounts, c.getName() + "_" + attempt + ".log", labels, limitMillis(c), limitBytes(c));
            String id;
            try {
                id = backend.createContainer(s.sandbox.id(), s.sandboxSpec, spec);
            } catch (BackendException e) {
                waiting(s, c, "CreateContainerError", e.getMessage(), field);
                return;
            }
            s.events.add(EventSpec.normal("Created", "Created container " + c.getName(), field));
            try {
                backend.startContainer(id);
            } catch (BackendException e) {
                waiting(s, c, "RunContainerError", e.getMessage(), field);
                return;
            }
            s.events.add(EventSpec.normal("Started", "Started container " + c.getName(), field));
            s.state.waiting.remove(c.getName());
            Probe first = c.getStartupProbe() != null ? c.getStartupProbe() : c.getReadinessProbe();
            if (first != null && !init) {
                s.requeueWithin(Math.max(100, seconds(first.getInitialDelaySeconds(), 0) * 1000));
            }
        } catch (ConfigException e) {
            waiting(s, c, "CreateContainerConfigError", e.getMessage(), field);
        } catch (BackendException e) {
            waiting(s, c, "RunContainerError", e.getMessage(), field);
        }
    }

    private void waiting(Sync s, Container c, String reason, String message, String field) {
        PodState.Waiting prev = s.state.waiting.put(c.getName(), new PodState.Waiting(reason, message));
        if (prev == null || !prev.equals(new PodState.Waiting(reason, message))) {
            s.events.add(EventSpec.warning("Failed", "Error: " + message, field));
        }
        s.requeueWithin(cfg.initialBackoffMillis());
    }

    /** Starts the next attempt once the back-off since the exit has passed; else waits in CrashLoopBackOff. */
    private void restartWithBackoff(Sync s, Container c, ContainerInfo latest, boolean init) {
        long now = clock.monoMillis();
        long seen = s.state.exitSeenMillis.computeIfAbsent(latest.id(), k -> now);
        long ranFor = latest.finishedAtNanos() > latest.startedAtNanos() && latest.startedAtNanos() > 0
                ? (latest.finishedAtNanos() - latest.startedAtNanos()) / 1_000_000L : 0;
        long delay = backoff.delayMillis(latest.attempt(), ranFor);
        if (now - seen >= delay) {
            startNew(s, c, latest.attempt() + 1, init);
            return;
        }
        String field = (init ? "spec.initContainers{" : "spec.containers{") + c.getName() + "}";
        String msg = "back-off " + formatDelay(delay) + " restarting failed container=" + c.getName() + " pod="
                + s.pod.getMetadata().getName() + "_" + s.pod.getMetadata().getNamespace() + "(" + s.pod.getMetadata().getUid() + ")";
        s.state.waiting.put(c.getName(), new PodState.Waiting("CrashLoopBackOff", msg));
        s.once("BackOff/" + latest.id(), EventSpec.warning("BackOff", "Back-off restarting failed container " + c.getName()
                + " in pod " + s.pod.getMetadata().getName() + "_" + s.pod.getMetadata().getNamespace() + "(" + s.pod.getMetadata().getUid() + ")", field));
        s.requeueWithin(seen + delay - now);
    }

    /**
     * Runs the container's due probes. Returns true when the container was killed (failed
     * liveness or startup probe) and must be treated as exited.
     */
    private boolean probe(Sync s, Container c, ContainerInfo inst) {
        PodState.ProbeState ps = s.state.probes.computeIfAbsent(inst.id(), k -> new PodState.ProbeState());
        long sinceStartMillis = Math.max(0, clock.wallMillis() - inst.startedAtNanos() / 1_000_000L);
        String field = "spec.containers{" + c.getName() + "}";
        if (c.getStartupProbe() == null) {
            ps.startupDone = true;
        } else if (!ps.startupDone) {
            Boolean r = runIfDue(s, c, inst, c.getStartupProbe(), ps.startup, sinceStartMillis, "Startup", field);
            if (Boolean.TRUE.equals(ps.startup.passing)) {
                ps.startupDone = true;
            } else if (Boolean.FALSE.equals(ps.startup.passing)) {
                killForProbe(s, c, inst, "startup", field);
                return true;
            }
            if (!ps.startupDone || r == null) {
                return false;
            }
        }
        if (c.getLivenessProbe() != null) {
            runIfDue(s, c, inst, c.getLivenessProbe(), ps.liveness, sinceStartMillis, "Liveness", field);
            if (Boolean.FALSE.equals(ps.liveness.passing)) {
                killForProbe(s, c, inst, "liveness", field);
                return true;
            }
        }
        if (c.getReadinessProbe() != null) {
            runIfDue(s, c, inst, c.getReadinessProbe(), ps.readiness, sinceStartMillis, "Readiness", field);
        }
        return false;
    }

    /** Runs the probe if due; returns its result, or null when it was not due. Schedules the next run. */
    private Boolean runIfDue(Sync s, Container c, ContainerInfo inst, Probe p, PodState.Probing st, long sinceStartMillis,
                             String kind, String field) {
        long initialDelay = seconds(p.getInitialDelaySeconds(), 0) * 1000;
        long period = seconds(p.getPeriodSeconds(), 10) * 1000;
        long now = clock.monoMillis();
        if (sinceStartMillis < initialDelay) {
            s.requeueWithin(initialDelay - sinceStartMillis);
            return null;
        }
        if (st.lastRunMillis != Long.MIN_VALUE && now - st.lastRunMillis < period) {
            s.requeueWithin(st.lastRunMillis + period - now);
            return null;
        }
        ProbeRunner.Result r = ProbeRunner.run(p, c, inst.id(), cfg.internalIP(), backend);
        st.lastRunMillis = now;
        st.record(r.success(), (int) seconds(p.getSuccessThreshold(), 1), (int) seconds(p.getFailureThreshold(), 3));
        // One Unhealthy event when a probe starts failing and one when it crosses its threshold:
        // a probe failing every period must not write an Event every period.
        int threshold = (int) seconds(p.getFailureThreshold(), 3);
        if (!r.success() && (st.failures == 1 || st.failures == threshold)) {
            s.events.add(EventSpec.warning("Unhealthy", kind + " probe failed: " + r.message(), field));
        }
        s.requeueWithin(period);
        return r.success();
    }

    private void killForProbe(Sync s, Container c, ContainerInfo inst, String kind, String field) {
        s.events.add(EventSpec.normal("Killing", "Container " + c.getName() + " failed " + kind
                + " probe, will be restarted", field));
        Probe p = "startup".equals(kind) ? c.getStartupProbe() : c.getLivenessProbe();
        long grace = p.getTerminationGracePeriodSeconds() != null ? p.getTerminationGracePeriodSeconds() : graceSeconds(s.pod);
        backend.stopContainer(inst.id(), grace);
    }

    private ContainerInfo refreshed(ContainerInfo inst) {
        return backend.listContainers().stream().filter(x -> x.id().equals(inst.id())).findFirst().orElse(inst);
    }

    /** Stops every container of the sandbox (in parallel, with grace), then the sandbox, then removes it. */
    private void kill(SandboxInfo sandbox, List<ContainerInfo> containers, long graceSeconds, List<EventSpec> events) {
        List<ContainerInfo> running = containers.stream()
                .filter(c -> c.sandboxId().equals(sandbox.id()) && c.state() == ContainerInfo.State.RUNNING).toList();
        List<Thread> stoppers = new ArrayList<>();
        for (ContainerInfo c : running) {
            boolean init = "init".equals(c.labels().get(Labels.CONTAINER_KIND));
            events.add(EventSpec.normal("Killing", "Stopping container " + c.name(),
                    (init ? "spec.initContainers{" : "spec.containers{") + c.name() + "}"));
            if (running.size() == 1 || graceSeconds == 0) {
                // Nothing to wait for in parallel (and no threads under simulation).
                stopQuietly(c.id(), graceSeconds);
                continue;
            }
            Thread t = new Thread(() -> {
                try {
                    backend.stopContainer(c.id(), graceSeconds);
                } catch (BackendException e) {
                    LOG.log(Level.FINE, "stop " + c.id() + " failed", e);
                }
            }, "starling-stop-" + c.name());
            t.setDaemon(true);
            t.start();
            stoppers.add(t);
        }
        for (Thread t : stoppers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        try {
            backend.stopSandbox(sandbox.id());
            backend.removeSandbox(sandbox.id());
        } catch (BackendException e) {
            LOG.log(Level.WARNING, "cannot remove sandbox " + sandbox.id() + ": " + e.getMessage());
        }
    }

    private void stopQuietly(String id, long graceSeconds) {
        try {
            backend.stopContainer(id, graceSeconds);
        } catch (BackendException e) {
            LOG.log(Level.FINE, "stop " + id + " failed", e);
        }
    }

    /** Keeps the latest two instances per container name (current and previous, for logs --previous). */
    private void gc(Map<String, List<ContainerInfo>> byName) {
        for (List<ContainerInfo> list : byName.values()) {
            for (int i = 0; i < list.size() - 2; i++) {
                if (list.get(i).state() != ContainerInfo.State.RUNNING) {
                    try {
                        backend.removeContainer(list.get(i).id());
                    } catch (BackendException e) {
                        LOG.log(Level.FINE, "gc of " + list.get(i).id() + " failed", e);
                    }
                }
            }
        }
    }

    private List<io.starling.runtime.backend.VolumeMount> mounts(Sync s, Container c) throws ConfigException {
        List<io.starling.runtime.backend.VolumeMount> out = new ArrayList<>();
        if (c.getVolumeMounts() == null) {
            return out;
        }
        for (VolumeMount m : c.getVolumeMounts()) {
            Path host = s.volumes == null ? null : s.volumes.get(m.getName());
            if (host == null) {
                throw new ConfigException("volume \"" + m.getName() + "\" of container " + c.getName() + " is not defined in the pod");
            }
            if (m.getSubPath() != null && !m.getSubPath().isEmpty()) {
                if (m.getSubPath().startsWith("/") || Stream.of(m.getSubPath().split("/")).anyMatch(".."::equals)) {
                    throw new ConfigException("invalid subPath " + m.getSubPath());
                }
                host = host.resolve(m.getSubPath());
            }
            out.add(new io.starling.runtime.backend.VolumeMount(host, m.getMountPath(), Boolean.TRUE.equals(m.getReadOnly())));
        }
        return out;
    }

    private SandboxSpec sandboxSpec(Pod pod, int attempt, Path logDir) {
        Map<String, String> labels = new TreeMap<>();
        labels.put(Labels.MANAGED, Labels.MANAGED_VALUE);
        labels.put(Labels.NODE, cfg.nodeName());
        labels.put(Labels.POD_UID, pod.getMetadata().getUid());
        labels.put(Labels.POD_NAME, pod.getMetadata().getName());
        labels.put(Labels.POD_NAMESPACE, pod.getMetadata().getNamespace());
        String hostname = pod.getSpec().getHostname() != null ? pod.getSpec().getHostname() : pod.getMetadata().getName();
        return new SandboxSpec(pod.getMetadata().getUid(), pod.getMetadata().getName(), pod.getMetadata().getNamespace(), attempt,
                hostname, logDir, labels, Map.of());
    }

    private EnvResolver.NodeFacts nodeFacts() {
        return new EnvResolver.NodeFacts(cfg.nodeName(), cfg.internalIP(), cfg.internalIP(), cfg.cpuMillis(), cfg.memoryBytes());
    }

    private List<ContainerInfo> ours(List<ContainerInfo> all) {
        return all.stream().filter(c -> cfg.nodeName().equals(c.labels().get(Labels.NODE))).toList();
    }

    static Map<String, List<ContainerInfo>> instances(List<ContainerInfo> all, String sandboxId) {
        TreeMap<String, List<ContainerInfo>> m = new TreeMap<>();
        all.stream().filter(c -> c.sandboxId().equals(sandboxId))
                .sorted(Comparator.comparingInt(ContainerInfo::attempt))
                .forEach(c -> m.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(c));
        return m;
    }

    private static ContainerInfo latest(Map<String, List<ContainerInfo>> byName, String name) {
        List<ContainerInfo> l = byName.get(name);
        return l == null || l.isEmpty() ? null : l.get(l.size() - 1);
    }

    static String pullPolicy(Container c) {
        if (c.getImagePullPolicy() != null && !c.getImagePullPolicy().isEmpty()) {
            return c.getImagePullPolicy();
        }
        String image = c.getImage() == null ? "" : c.getImage();
        boolean latestTag = !image.contains(":") || image.endsWith(":latest");
        return latestTag && !image.contains("@") ? "Always" : "IfNotPresent";
    }

    static long graceSeconds(Pod pod) {
        if (pod.getMetadata().getDeletionGracePeriodSeconds() != null) {
            return pod.getMetadata().getDeletionGracePeriodSeconds();
        }
        Long g = pod.getSpec().getTerminationGracePeriodSeconds();
        return g != null ? g : DEFAULT_GRACE_SECONDS;
    }

    private static List<String> expandAll(List<String> in, Map<String, String> env) {
        List<String> out = new ArrayList<>();
        if (in != null) {
            for (String s : in) {
                out.add(EnvResolver.expand(s, env));
            }
        }
        return out;
    }

    private static long limitMillis(Container c) {
        Quantity q = c.getResources() == null || c.getResources().getLimits() == null ? null : c.getResources().getLimits().get("cpu");
        return q == null ? 0 : Quantity.getAmountInBytes(q).multiply(BigDecimal.valueOf(1000)).longValue();
    }

    private static long limitBytes(Container c) {
        Quantity q = c.getResources() == null || c.getResources().getLimits() == null ? null : c.getResources().getLimits().get("memory");
        return q == null ? 0 : Quantity.getAmountInBytes(q).longValue();
    }

    private static long seconds(Integer v, long dflt) {
        return v == null || v <= 0 ? dflt : v;
    }

    private static String formatDelay(long millis) {
        return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
    }
}
