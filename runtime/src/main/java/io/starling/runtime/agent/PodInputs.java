package io.starling.runtime.agent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A pod plus the ConfigMaps and Secrets it references and the Services its containers get
 * environment variables for, fetched on the event loop before the blocking sync starts (so the
 * sync never waits on the store). Names missing from the maps were not found.
 *
 * @param pod desired state, or {@code null} when the pod is gone from the store
 * @param services the Services of the pod's namespace and the master Service default/kubernetes
 *     (see {@link ServiceEnv})
 */
record PodInputs(String key, Pod pod, Map<String, ConfigMap> configMaps, Map<String, Secret> secrets,
                 List<Service> services) {
    PodInputs {
        configMaps = Map.copyOf(new TreeMap<>(configMaps));
        secrets = Map.copyOf(new TreeMap<>(secrets));
        services = List.copyOf(services);
    }

    PodInputs(String key, Pod pod, Map<String, ConfigMap> configMaps, Map<String, Secret> secrets) {
        this(key, pod, configMaps, secrets, List.of());
    }

    String namespace() {
        return key.substring(0, key.indexOf('/'));
    }

    String name() {
        return key.substring(key.indexOf('/') + 1);
    }
}
