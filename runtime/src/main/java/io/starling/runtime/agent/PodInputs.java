package io.starling.runtime.agent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Map;
import java.util.TreeMap;

/**
 * A pod plus the ConfigMaps and Secrets it references, fetched on the event loop before the
 * blocking sync starts (so the sync never waits on the store). Names missing from the maps were
 * not found.
 *
 * @param pod desired state, or {@code null} when the pod is gone from the store
 */
record PodInputs(String key, Pod pod, Map<String, ConfigMap> configMaps, Map<String, Secret> secrets) {
    PodInputs {
        configMaps = Map.copyOf(new TreeMap<>(configMaps));
        secrets = Map.copyOf(new TreeMap<>(secrets));
    }

    String namespace() {
        return key.substring(0, key.indexOf('/'));
    }

    String name() {
        return key.substring(key.indexOf('/') + 1);
    }
}
