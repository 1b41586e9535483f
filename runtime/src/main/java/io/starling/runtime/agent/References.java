package io.starling.runtime.agent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** The ConfigMap and Secret names a pod references (env, envFrom, volumes, projected volumes). */
record References(TreeSet<String> configMaps, TreeSet<String> secrets) {
    private static void addTo(TreeSet<String> set, String name) {
        if (name != null && !name.isEmpty()) {
            set.add(name);
        }
    }

    static References of(Pod pod) {
        TreeSet<String> cms = new TreeSet<>();
        TreeSet<String> secrets = new TreeSet<>();
        if (pod == null || pod.getSpec() == null) {
            return new References(cms, secrets);
        }
        List<Container> all = new ArrayList<>();
        if (pod.getSpec().getInitContainers() != null) {
            all.addAll(pod.getSpec().getInitContainers());
        }
        if (pod.getSpec().getContainers() != null) {
            all.addAll(pod.getSpec().getContainers());
        }
        for (Container c : all) {
            if (c.getEnv() != null) {
                for (EnvVar e : c.getEnv()) {
                    if (e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null) {
                        addTo(cms, e.getValueFrom().getConfigMapKeyRef().getName());
                    }
                    if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                        addTo(secrets, e.getValueFrom().getSecretKeyRef().getName());
                    }
                }
            }
            if (c.getEnvFrom() != null) {
                for (EnvFromSource f : c.getEnvFrom()) {
                    if (f.getConfigMapRef() != null) {
                        addTo(cms, f.getConfigMapRef().getName());
                    }
                    if (f.getSecretRef() != null) {
                        addTo(secrets, f.getSecretRef().getName());
                    }
                }
            }
        }
        if (pod.getSpec().getVolumes() != null) {
            for (Volume v : pod.getSpec().getVolumes()) {
                if (v.getConfigMap() != null) {
                    addTo(cms, v.getConfigMap().getName());
                }
                if (v.getSecret() != null) {
                    addTo(secrets, v.getSecret().getSecretName());
                }
                if (v.getProjected() != null && v.getProjected().getSources() != null) {
                    for (VolumeProjection p : v.getProjected().getSources()) {
                        if (p.getConfigMap() != null) {
                            addTo(cms, p.getConfigMap().getName());
                        }
                        if (p.getSecret() != null) {
                            addTo(secrets, p.getSecret().getName());
                        }
                    }
                }
            }
        }
        return new References(cms, secrets);
    }
}
