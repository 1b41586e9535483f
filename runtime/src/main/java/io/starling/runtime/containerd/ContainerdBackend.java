package io.starling.runtime.containerd;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.starling.runtime.backend.BackendException;
import io.starling.runtime.backend.ContainerBackend;
import io.starling.runtime.backend.ContainerInfo;
import io.starling.runtime.backend.ContainerSpec;
import io.starling.runtime.backend.CompletedExecProcess;
import io.starling.runtime.backend.ExecProcess;
import io.starling.runtime.backend.ExecResult;
import io.starling.runtime.backend.ImageInfo;
import io.starling.runtime.backend.Labels;
import io.starling.runtime.backend.SandboxInfo;
import io.starling.runtime.backend.SandboxSpec;
import io.starling.runtime.backend.VolumeMount;
import io.starling.runtime.cri.v1.Container;
import io.starling.runtime.cri.v1.ContainerConfig;
import io.starling.runtime.cri.v1.ContainerFilter;
import io.starling.runtime.cri.v1.ContainerMetadata;
import io.starling.runtime.cri.v1.ContainerStatus;
import io.starling.runtime.cri.v1.ContainerStatusRequest;
import io.starling.runtime.cri.v1.CreateContainerRequest;
import io.starling.runtime.cri.v1.ExecSyncRequest;
import io.starling.runtime.cri.v1.ExecSyncResponse;
import io.starling.runtime.cri.v1.ImageSpec;
import io.starling.runtime.cri.v1.ImageStatusRequest;
import io.starling.runtime.cri.v1.ImageStatusResponse;
import io.starling.runtime.cri.v1.KeyValue;
import io.starling.runtime.cri.v1.LinuxContainerConfig;
import io.starling.runtime.cri.v1.LinuxContainerResources;
import io.starling.runtime.cri.v1.LinuxContainerSecurityContext;
import io.starling.runtime.cri.v1.LinuxPodSandboxConfig;
import io.starling.runtime.cri.v1.LinuxSandboxSecurityContext;
import io.starling.runtime.cri.v1.ListContainersRequest;
import io.starling.runtime.cri.v1.ListPodSandboxRequest;
import io.starling.runtime.cri.v1.Mount;
import io.starling.runtime.cri.v1.NamespaceMode;
import io.starling.runtime.cri.v1.NamespaceOption;
import io.starling.runtime.cri.v1.PodSandbox;
import io.starling.runtime.cri.v1.PodSandboxConfig;
import io.starling.runtime.cri.v1.PodSandboxFilter;
import io.starling.runtime.cri.v1.PodSandboxMetadata;
import io.starling.runtime.cri.v1.PodSandboxState;
import io.starling.runtime.cri.v1.RemoveContainerRequest;
import io.starling.runtime.cri.v1.RemovePodSandboxRequest;
import io.starling.runtime.cri.v1.RunPodSandboxRequest;
import io.starling.runtime.cri.v1.StartContainerRequest;
import io.starling.runtime.cri.v1.StopContainerRequest;
import io.starling.runtime.cri.v1.StopPodSandboxRequest;
import io.starling.runtime.cri.v1.VersionRequest;
import io.starling.runtime.cri.v1.VersionResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link ContainerBackend} over containerd's CRI plugin. Sandboxes use the node's network
 * namespace; containers get their own PID namespace. Container statuses are cached once they can
 * no longer change (exited), so the agent's periodic relist costs one ListContainers call plus one
 * ContainerStatus per container that changed.
 */
public final class ContainerdBackend implements ContainerBackend {
    private static final long CFS_PERIOD_MICROS = 100_000;
    private static final long EXEC_OUTPUT_LIMIT_BYTES = 64 * 1024;
    /** Longest a kubectl exec without stdin may run (CRI ExecSync timeout). */
    static final long EXEC_STREAM_TIMEOUT_SECONDS = 600;

    private final CriClient cri;
    private final Path socket;
    private final String version;
    /** Statuses of exited containers (final) and running ones (until their state changes). */
    private final Map<String, ContainerInfo> statusCache = new ConcurrentHashMap<>();

    private final AutoCloseable owned;

    public ContainerdBackend(Path socket, long callTimeoutMillis) {
        this(socket, callTimeoutMillis, null);
    }

    /**
     * @param owned closed after the client on {@link #close} (e.g. the {@link PrivateContainerd}
     *     this backend was started with); may be null
     */
    public ContainerdBackend(Path socket, long callTimeoutMillis, AutoCloseable owned) {
        this.owned = owned;
        this.socket = socket;
        this.cri = new CriClient(socket, callTimeoutMillis);
        try {
            VersionResponse v = cri.call(CriClient.VERSION, VersionRequest.newBuilder().setVersion("v1").build());
            this.version = v.getRuntimeName() + "://" + v.getRuntimeVersion();
        } catch (StatusRuntimeException e) {
            cri.close();
            throw new BackendException("cannot reach containerd CRI at " + socket + ": " + e.getStatus(), e);
        }
    }

    @Override
    public String name() {
        return "containerd";
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public List<String> importImage(Path tarball) {
        // CRI has no import call; containerd's own client does it into the namespace CRI reads
        try {
            return PrivateContainerd.importedNames(PrivateContainerd.importImage(socket, tarball));
        } catch (IOException e) {
            throw new BackendException("image import failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<ImageInfo> imageStatus(String image) {
        ImageStatusResponse r = call(() -> cri.call(CriClient.IMAGE_STATUS,
                ImageStatusRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).build()), "image status");
        if (!r.hasImage() || r.getImage().getId().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ImageInfo(r.getImage().getId(), r.getImage().getSize()));
    }

    private static NamespaceOption namespaces() {
        return NamespaceOption.newBuilder().setNetwork(NamespaceMode.NODE).setPid(NamespaceMode.CONTAINER)
                .setIpc(NamespaceMode.POD).build();
    }

    static PodSandboxConfig sandboxConfig(SandboxSpec spec) {
        return PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName(spec.podName()).setUid(spec.podUid())
                        .setNamespace(spec.namespace()).setAttempt(spec.attempt()))
                // Pods share the node's network and UTS namespaces: runc refuses a hostname there.
                .setLogDirectory(spec.logDirectory().toString())
                .putAllLabels(spec.labels())
                .putAllAnnotations(spec.annotations())
                .setLinux(LinuxPodSandboxConfig.newBuilder().setSecurityContext(
                        LinuxSandboxSecurityContext.newBuilder().setNamespaceOptions(namespaces())))
                .build();
    }

    @Override
    public String runSandbox(SandboxSpec spec) {
        try {
            Files.createDirectories(spec.logDirectory());
        } catch (java.io.IOException e) {
            throw new BackendException("cannot create log directory: " + e.getMessage(), e);
        }
        return call(() -> cri.call(CriClient.RUN_POD_SANDBOX,
                RunPodSandboxRequest.newBuilder().setConfig(sandboxConfig(spec)).build()), "run pod sandbox").getPodSandboxId();
    }

    @Override
    public void stopSandbox(String sandboxId) {
        call(() -> cri.call(CriClient.STOP_POD_SANDBOX, StopPodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build()),
                "stop pod sandbox");
    }

    @Override
    public void removeSandbox(String sandboxId) {
        call(() -> cri.call(CriClient.REMOVE_POD_SANDBOX, RemovePodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build()),
                "remove pod sandbox");
        statusCache.values().removeIf(c -> c.sandboxId().equals(sandboxId));
    }

    @Override
    public List<SandboxInfo> listSandboxes() {
        List<PodSandbox> items = call(() -> cri.call(CriClient.LIST_POD_SANDBOX, ListPodSandboxRequest.newBuilder()
                .setFilter(PodSandboxFilter.newBuilder().putLabelSelector(Labels.MANAGED, Labels.MANAGED_VALUE)).build()),
                "list pod sandboxes").getItemsList();
        List<SandboxInfo> out = new ArrayList<>();
        for (PodSandbox s : items) {
            out.add(new SandboxInfo(s.getId(), s.getMetadata().getUid(), s.getMetadata().getName(), s.getMetadata().getNamespace(),
                    s.getMetadata().getAttempt(), s.getState() == PodSandboxState.SANDBOX_READY, s.getCreatedAt(),
                    Map.copyOf(s.getLabelsMap())));
        }
        return out;
    }

    @Override
    public String createContainer(String sandboxId, SandboxSpec sandbox, ContainerSpec spec) {
        ContainerConfig.Builder c = ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(spec.name()).setAttempt(spec.attempt()))
                .setImage(ImageSpec.newBuilder().setImage(spec.image()))
                .addAllCommand(spec.command())
                .addAllArgs(spec.args())
                .setLogPath(spec.logFileName())
                .putAllLabels(spec.labels());
        if (spec.workingDir() != null && !spec.workingDir().isEmpty()) {
            c.setWorkingDir(spec.workingDir());
        }
        // Pods share the node's UTS namespace, so containerd would put the node's name in HOSTNAME;
        // users expect the pod's hostname there (unless the pod sets HOSTNAME itself).
        if (sandbox.hostname() != null && !spec.env().containsKey("HOSTNAME")) {
            c.addEnvs(KeyValue.newBuilder().setKey("HOSTNAME").setValue(sandbox.hostname()));
        }
        spec.env().forEach((k, v) -> c.addEnvs(KeyValue.newBuilder().setKey(k).setValue(v)));
        for (VolumeMount m : spec.mounts()) {
            c.addMounts(Mount.newBuilder().setHostPath(m.hostPath().toString()).setContainerPath(m.containerPath())
                    .setReadonly(m.readOnly()));
        }
        LinuxContainerResources.Builder res = LinuxContainerResources.newBuilder();
        if (spec.cpuMillis() > 0) {
            res.setCpuPeriod(CFS_PERIOD_MICROS).setCpuQuota(spec.cpuMillis() * CFS_PERIOD_MICROS / 1000)
                    .setCpuShares(Math.max(2, spec.cpuMillis() * 1024 / 1000));
        }
        if (spec.memoryBytes() > 0) {
            res.setMemoryLimitInBytes(spec.memoryBytes());
        }
        c.setLinux(LinuxContainerConfig.newBuilder().setResources(res)
                .setSecurityContext(LinuxContainerSecurityContext.newBuilder().setNamespaceOptions(namespaces())));
        return call(() -> cri.call(CriClient.CREATE_CONTAINER, CreateContainerRequest.newBuilder().setPodSandboxId(sandboxId)
                .setConfig(c).setSandboxConfig(sandboxConfig(sandbox)).build()), "create container").getContainerId();
    }

    @Override
    public void startContainer(String containerId) {
        call(() -> cri.call(CriClient.START_CONTAINER, StartContainerRequest.newBuilder().setContainerId(containerId).build()),
                "start container");
        statusCache.remove(containerId);
    }

    @Override
    public void stopContainer(String containerId, long graceSeconds) {
        call(() -> cri.call(CriClient.STOP_CONTAINER, StopContainerRequest.newBuilder().setContainerId(containerId)
                .setTimeout(Math.max(0, graceSeconds)).build(), (Math.max(0, graceSeconds) + 30) * 1000), "stop container");
        statusCache.remove(containerId);
    }

    @Override
    public void removeContainer(String containerId) {
        try {
            cri.call(CriClient.REMOVE_CONTAINER, RemoveContainerRequest.newBuilder().setContainerId(containerId).build());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw new BackendException("remove container: " + e.getStatus().getDescription(), e);
            }
        }
        statusCache.remove(containerId);
    }

    @Override
    public List<ContainerInfo> listContainers() {
        List<Container> items = call(() -> cri.call(CriClient.LIST_CONTAINERS, ListContainersRequest.newBuilder()
                .setFilter(ContainerFilter.newBuilder().putLabelSelector(Labels.MANAGED, Labels.MANAGED_VALUE)).build()),
                "list containers").getContainersList();
        List<ContainerInfo> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Container c : items) {
            seen.add(c.getId());
            ContainerInfo cached = statusCache.get(c.getId());
            if (cached != null && cached.state() == toState(c.getState())) {
                out.add(cached);
                continue;
            }
            try {
                ContainerStatus s = cri.call(CriClient.CONTAINER_STATUS,
                        ContainerStatusRequest.newBuilder().setContainerId(c.getId()).build()).getStatus();
                ContainerInfo info = new ContainerInfo(c.getId(), c.getPodSandboxId(), s.getMetadata().getName(),
                        s.getMetadata().getAttempt(), toState(s.getState()), s.getCreatedAt(), s.getStartedAt(),
                        s.getFinishedAt(), s.getExitCode(), s.getReason(), s.getMessage(), s.getImageRef(),
                        Path.of(s.getLogPath()), Map.copyOf(s.getLabelsMap()));
                if (info.state() == ContainerInfo.State.EXITED || info.state() == ContainerInfo.State.RUNNING) {
                    statusCache.put(c.getId(), info);
                }
                out.add(info);
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                    throw new BackendException("container status: " + e.getStatus().getDescription(), e);
                }
            }
        }
        statusCache.keySet().retainAll(seen);
        return out;
    }

    private static ContainerInfo.State toState(io.starling.runtime.cri.v1.ContainerState s) {
        return switch (s) {
            case CONTAINER_CREATED -> ContainerInfo.State.CREATED;
            case CONTAINER_RUNNING -> ContainerInfo.State.RUNNING;
            case CONTAINER_EXITED -> ContainerInfo.State.EXITED;
            default -> ContainerInfo.State.UNKNOWN;
        };
    }

    @Override
    public ExecResult exec(String containerId, List<String> command, long timeoutSeconds) {
        long t = Math.max(1, timeoutSeconds);
        ExecSyncResponse r = call(() -> cri.call(CriClient.EXEC_SYNC, ExecSyncRequest.newBuilder().setContainerId(containerId)
                .addAllCmd(command).setTimeout(t).build(), (t + 10) * 1000), "exec");
        return new ExecResult(r.getExitCode(), head(r.getStdout().toStringUtf8()), head(r.getStderr().toStringUtf8()));
    }

    /**
     * Without stdin only: the command runs through CRI ExecSync (as exec probes do) and its output
     * arrives when it exits. Streaming exec with stdin or a tty (CRI Exec and containerd's streaming
     * server) is not implemented.
     */
    @Override
    public ExecProcess startExec(String containerId, List<String> command, boolean stdin, boolean tty) {
        if (tty || stdin) {
            throw new BackendException((tty ? "a tty (kubectl exec -t)" : "stdin (kubectl exec -i)")
                    + " is not supported by the containerd runtime yet: commands run with CRI ExecSync, which has "
                    + (tty ? "no terminal" : "no input") + "; run without -i/-t");
        }
        long t = EXEC_STREAM_TIMEOUT_SECONDS;
        return new CompletedExecProcess(() -> {
            ExecSyncResponse r = call(() -> cri.call(CriClient.EXEC_SYNC, ExecSyncRequest.newBuilder().setContainerId(containerId)
                    .addAllCmd(command).setTimeout(t).build(), (t + 10) * 1000), "exec");
            return new CompletedExecProcess.Output(r.getExitCode(), r.getStdout().toByteArray(), r.getStderr().toByteArray());
        }, "starling-exec-sync");
    }

    private static String head(String s) {
        return s.length() > EXEC_OUTPUT_LIMIT_BYTES ? s.substring(0, (int) EXEC_OUTPUT_LIMIT_BYTES) : s;
    }

    private static <T> T call(java.util.function.Supplier<T> rpc, String what) {
        try {
            return rpc.get();
        } catch (StatusRuntimeException e) {
            String d = e.getStatus().getDescription();
            throw new BackendException(what + " failed: " + (d == null ? e.getStatus().getCode().toString() : d), e);
        }
    }

    @Override
    public void close() {
        cri.close();
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                // best effort: the owned process is gone or cannot be stopped
            }
        }
    }
}
