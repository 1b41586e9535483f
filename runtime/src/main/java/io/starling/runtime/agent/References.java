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
                        cms.add(e.getValueFrom().getConfigMapKeyRef().getName());
                    }
                    if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                        secrets.add(e.getValueFrom().getSecretKeyRef().getName());
                    }
                }
            }
            if (c.getEnvFrom() != null) {
                for (EnvFromSource f : c.getEnvFrom()) {
                    if (f.getConfigMapRef() != null) {
                        cms.add(f.getConfigMapRef().getName());
                    }
                    if (f.getSecretRef() != null) {
                        secrets.add(f.getSecretRef().getName());
                    }
                }
            }
        }
        if (pod.getSpec().getVolumes() != null) {
            for (Volume v : pod.getSpec().getVolumes()) {
                if (v.getConfigMap() != null) {
                    cms.add(v.getConfigMap().getName());
                }
                if (v.getSecret() != null) {
                    secrets.add(v.getSecret().getSecretName());
                }
                if (v.getProjected() != null && v.getProjected().getSources() != null) {
                    for (VolumeProjection p : v.getProjected().getSources()) {
                        if (p.getConfigMap() != null) {
                            cms.add(p.getConfigMap().getName());
                        }
                        if (p.getSecret() != null) {
                            secrets.add(p.getSecret().getName());
                        }
                    }
                }
            }
        }
        cms.remove(null);
        secrets.remove(null);
        return new References(cms, secrets);
    }
}
