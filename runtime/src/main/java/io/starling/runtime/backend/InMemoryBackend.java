package io.starling.runtime.backend;

import io.starling.core.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@link ContainerBackend} that runs nothing: containers are records whose state changes only
 * through the API (or {@link #exit}), time comes from the injected clock and ids are sequential,
 * so the simulator and virtual-time tests can run the real node agent deterministically. Images
 * are present unless {@link #removeImage} said otherwise; exec succeeds unless
 * {@link #setExecExitCode} says otherwise.
 */
public final class InMemoryBackend implements ContainerBackend {
    private final Clock clock;
    private final TreeMap<String, SandboxInfo> sandboxes = new TreeMap<>();
    private final TreeMap<String, ContainerInfo> containers = new TreeMap<>();
    private final TreeSet<String> missingImages = new TreeSet<>();
    private int execExitCode;
    private long nextId = 1;

    public InMemoryBackend(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public String version() {
        return "memory://0.1.0";
    }

    public synchronized void removeImage(String image) {
        missingImages.add(image);
    }

    public synchronized void setExecExitCode(int code) {
        execExitCode = code;
    }

    /** Makes a running container exit with {@code code}, as if its process ended. */
    public synchronized void exit(String containerId, int code) {
        ContainerInfo c = containers.get(containerId);
        if (c != null && c.state() == ContainerInfo.State.RUNNING) {
            containers.put(containerId, with(c, ContainerInfo.State.EXITED, c.startedAtNanos(), now(), code));
        }
    }

    @Override
    public synchronized Optional<ImageInfo> imageStatus(String image) {
        return missingImages.contains(image) ? Optional.empty() : Optional.of(new ImageInfo("sha256:" + image.hashCode(), 1));
    }

    @Override
    public synchronized String runSandbox(SandboxSpec spec) {
        String id = "sb-" + nextId++;
        sandboxes.put(id, new SandboxInfo(id, spec.podUid(), spec.podName(), spec.namespace(), spec.attempt(), true, now(),
                spec.labels()));
        return id;
    }

    @Override
    public synchronized void stopSandbox(String sandboxId) {
        SandboxInfo s = sandboxes.get(sandboxId);
        if (s == null) {
            return;
        }
        for (ContainerInfo c : new ArrayList<>(containers.values())) {
            if (c.sandboxId().equals(sandboxId) && c.state() == ContainerInfo.State.RUNNING) {
                containers.put(c.id(), with(c, ContainerInfo.State.EXITED, c.startedAtNanos(), now(), 137));
            }
        }
        sandboxes.put(sandboxId, new SandboxInfo(s.id(), s.podUid(), s.podName(), s.namespace(), s.attempt(), false,
                s.createdAtNanos(), s.labels()));
    }

    @Override
    public synchronized void removeSandbox(String sandboxId) {
        stopSandbox(sandboxId);
        containers.values().removeIf(c -> c.sandboxId().equals(sandboxId));
        sandboxes.remove(sandboxId);
    }

    @Override
    public synchronized List<SandboxInfo> listSandboxes() {
        return new ArrayList<>(sandboxes.values());
    }

    @Override
    public synchronized String createContainer(String sandboxId, SandboxSpec sandbox, ContainerSpec spec) {
        if (!sandboxes.containsKey(sandboxId)) {
            throw new BackendException("no sandbox " + sandboxId);
        }
        for (ContainerInfo c : containers.values()) {
            if (c.sandboxId().equals(sandboxId) && c.name().equals(spec.name()) && c.attempt() == spec.attempt()) {
                throw new BackendException("container " + spec.name() + " attempt " + spec.attempt() + " already exists");
            }
        }
        String id = "c-" + nextId++;
        containers.put(id, new ContainerInfo(id, sandboxId, spec.name(), spec.attempt(), ContainerInfo.State.CREATED, now(), 0, 0, 0,
                "", "", "memory://" + spec.image(), sandbox.logDirectory().resolve(spec.logFileName()), Map.copyOf(spec.labels())));
        return id;
    }

    @Override
    public synchronized void startContainer(String containerId) {
        ContainerInfo c = containers.get(containerId);
        if (c == null || c.state() != ContainerInfo.State.CREATED) {
            throw new BackendException("cannot start " + containerId);
        }
        containers.put(containerId, with(c, ContainerInfo.State.RUNNING, now(), 0, 0));
    }

    @Override
    public synchronized void stopContainer(String containerId, long graceSeconds) {
        ContainerInfo c = containers.get(containerId);
        if (c != null && c.state() == ContainerInfo.State.RUNNING) {
            containers.put(containerId, with(c, ContainerInfo.State.EXITED, c.startedAtNanos(), now(), 137));
        }
    }

    @Override
    public synchronized void removeContainer(String containerId) {
        containers.remove(containerId);
    }

    @Override
    public synchronized List<ContainerInfo> listContainers() {
        return new ArrayList<>(containers.values());
    }

    @Override
    public synchronized ExecResult exec(String containerId, List<String> command, long timeoutSeconds) {
        ContainerInfo c = containers.get(containerId);
        if (c == null || c.state() != ContainerInfo.State.RUNNING) {
            throw new BackendException("container " + containerId + " is not running");
        }
        return new ExecResult(execExitCode, "", "");
    }

    @Override
    public void close() {}

    private long now() {
        return clock.wallMillis() * 1_000_000L;
    }

    private static ContainerInfo with(ContainerInfo c, ContainerInfo.State state, long started, long finished, int exit) {
        return new ContainerInfo(c.id(), c.sandboxId(), c.name(), c.attempt(), state, c.createdAtNanos(), started, finished, exit,
                state == ContainerInfo.State.EXITED ? (exit == 0 ? "Completed" : "Error") : "", "", c.imageRef(), c.logPath(),
                c.labels());
    }
}
