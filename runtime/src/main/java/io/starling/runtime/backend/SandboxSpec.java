package io.starling.runtime.backend;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a pod sandbox needs. Pods use the node's network namespace (no CNI here), so the pod IP is
 * the node's address.
 *
 * @param logDirectory where container log files go (CRI log format)
 */
public record SandboxSpec(String podUid, String podName, String namespace, int attempt, String hostname,
                          Path logDirectory, Map<String, String> labels, Map<String, String> annotations) {
    public SandboxSpec {
        labels = Map.copyOf(new TreeMap<>(labels));
        annotations = Map.copyOf(new TreeMap<>(annotations));
    }
}
