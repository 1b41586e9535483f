package io.starling.runtime.backend;

import java.util.List;
import java.util.Optional;

/**
 * A container runtime in CRI terms. A pod runs in one sandbox; its containers are created in it,
 * one instance per (name, attempt). Every object carries the labels the agent gives it, which is
 * how an agent that restarts finds (adopts) what it started before. All methods block and throw
 * {@link BackendException} on failure; stop and remove calls are idempotent.
 */
public interface ContainerBackend extends AutoCloseable {
    /** "containerd" or "process": the scheme of containerIDs in pod status. */
    String name();

    /** For Node status.nodeInfo.containerRuntimeVersion, e.g. "containerd://1.6.20". */
    String version();

    /** The image if it is present on this node. */
    Optional<ImageInfo> imageStatus(String image);

    /**
     * Imports an OCI or Docker image tarball (what {@code starling image import} uploads) and
     * returns the image names it holds. Backends that run no images refuse with a clear message.
     */
    default List<String> importImage(java.nio.file.Path tarball) {
        throw new BackendException("the " + name() + " runtime does not use images; nothing to import");
    }

    /** Creates and starts a sandbox; returns its id. */
    String runSandbox(SandboxSpec spec);

    void stopSandbox(String sandboxId);

    void removeSandbox(String sandboxId);

    List<SandboxInfo> listSandboxes();

    /** Creates (does not start) a container in the sandbox; returns its id. */
    String createContainer(String sandboxId, SandboxSpec sandbox, ContainerSpec spec);

    void startContainer(String containerId);

    /** Sends SIGTERM, then SIGKILL after {@code graceSeconds}; returns once it has exited. */
    void stopContainer(String containerId, long graceSeconds);

    void removeContainer(String containerId);

    /** Every container this backend manages for the agent, with current state. */
    List<ContainerInfo> listContainers();

    /** Runs a command in the container's environment (exec probes). */
    ExecResult exec(String containerId, List<String> command, long timeoutSeconds);

    /**
     * Starts a command in a running container and streams its input and output ({@code kubectl
     * exec}). Throws {@link BackendException} with a message for the user when the backend cannot
     * (no such running container, a tty, stdin where the backend has no input path).
     *
     * @param stdin whether the command reads from the caller (else it gets an empty stdin)
     * @param tty whether a pseudo-terminal is wanted
     */
    default ExecProcess startExec(String containerId, List<String> command, boolean stdin, boolean tty) {
        throw new BackendException("the " + name() + " runtime does not support kubectl exec");
    }

    @Override
    void close();
}
