package io.starling.runtime.http;

import java.nio.file.Path;
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

    /** A v1 PodList (JSON) of the pods bound to this node. */
    CompletableFuture<byte[]> podsJson();
}
