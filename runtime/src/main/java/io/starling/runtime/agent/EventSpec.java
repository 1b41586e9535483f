package io.starling.runtime.agent;

/**
 * An Event the sync wants emitted about its pod.
 *
 * @param type "Normal" or "Warning"
 * @param fieldPath e.g. {@code spec.containers{web}}, or null for the pod itself
 */
record EventSpec(String type, String reason, String message, String fieldPath) {
    static EventSpec normal(String reason, String message, String fieldPath) {
        return new EventSpec("Normal", reason, message, fieldPath);
    }

    static EventSpec warning(String reason, String message, String fieldPath) {
        return new EventSpec("Warning", reason, message, fieldPath);
    }
}
