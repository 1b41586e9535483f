package io.starling.runtime.backend;

import java.nio.file.Path;
import java.util.Map;

/**
 * A container instance as the backend reports it. Times are wall-clock epoch nanoseconds, 0 when
 * unknown.
 */
public record ContainerInfo(String id, String sandboxId, String name, int attempt, State state,
                            long createdAtNanos, long startedAtNanos, long finishedAtNanos, int exitCode,
                            String reason, String message, String imageRef, Path logPath,
                            Map<String, String> labels) {
    public enum State { CREATED, RUNNING, EXITED, UNKNOWN }

    public String podUid() {
        return labels.getOrDefault(Labels.POD_UID, "");
    }
}
