package io.starling.runtime.backend;

import java.util.Map;

/** A pod sandbox as the backend reports it. */
public record SandboxInfo(String id, String podUid, String podName, String namespace, int attempt, boolean ready,
                          long createdAtNanos, Map<String, String> labels) {}
