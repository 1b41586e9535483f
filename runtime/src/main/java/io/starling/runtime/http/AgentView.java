package io.starling.runtime.http;

import io.starling.runtime.backend.BackendException;
import io.starling.runtime.backend.ContainerBackend;
import io.starling.runtime.backend.ExecProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/** What the HTTP API needs from the agent. Implementations are thread-safe and never block. */
public interface AgentView {
    /** A container's log file, and whether that container instance still runs (for follow). */
    record LogTarget(Path file, BooleanSupplier running) {}

    /**
     * The log of a container of a pod bound here; {@code container} may be null when the pod has
     * exactly one container. Empty when unknown.
     */
    Optional<LogTarget> logTarget(String namespace, String pod, String container, boolean previous);

    /**
     * The id of the running instance of a container of a pod bound here, for exec; {@code container}
     * may be null when the pod has exactly one container. Empty when not running here.
     */
    default Optional<String> runningContainer(String namespace, String pod, String container) {
        return Optional.empty();
    }

    /** Starts a command in a running container (blocks: called off the event loop); see {@link ContainerBackend#startExec}. */
    default ExecProcess startExec(String containerId, List<String> command, boolean stdin, boolean tty) {
        throw new BackendException("exec is not supported by this node agent");
    }

    /** A v1 PodList (JSON) of the pods bound to this node. */
    CompletableFuture<byte[]> podsJson();
}
