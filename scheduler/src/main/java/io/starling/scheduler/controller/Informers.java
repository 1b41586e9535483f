package io.starling.scheduler.controller;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.starling.core.exec.EventLoop;
import io.starling.dht.kube.ObjectClient;
import io.starling.scheduler.queue.SharedInformer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One shared informer per resource for all controllers of a manager, created on first use and
 * started together (insertion order). Node Leases have their own informer of kube-node-lease.
 */
public final class Informers {
    public static final String NODE_LEASE_NAMESPACE = "kube-node-lease";

    private final ObjectClient client;
    private final EventLoop loop;
    private final Map<Class<?>, SharedInformer<?>> byType = new LinkedHashMap<>();
    private SharedInformer<Lease> nodeLeases;
    private SharedInformer<ConfigMap> kubeSystemConfigMaps;
    private boolean started;

    public Informers(ObjectClient client, EventLoop loop) {
        this.client = client;
        this.loop = loop;
    }

    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> SharedInformer<T> of(Class<T> type) {
        return (SharedInformer<T>) byType.computeIfAbsent(type, t -> {
            SharedInformer<T> inf = new SharedInformer<>(client, type, loop);
            if (started) {
                inf.start();
            }
            return inf;
        });
    }

    public SharedInformer<Lease> nodeLeases() {
        if (nodeLeases == null) {
            nodeLeases = SharedInformer.inNamespace(client, Lease.class, NODE_LEASE_NAMESPACE, loop);
            if (started) {
                nodeLeases.start();
            }
        }
        return nodeLeases;
    }

    /** ConfigMaps of kube-system only (site settings), not every tenant's ConfigMaps. */
    public SharedInformer<ConfigMap> kubeSystemConfigMaps() {
        if (kubeSystemConfigMaps == null) {
            kubeSystemConfigMaps = SharedInformer.inNamespace(client, ConfigMap.class, "kube-system", loop);
            if (started) {
                kubeSystemConfigMaps.start();
            }
        }
        return kubeSystemConfigMaps;
    }

    public List<SharedInformer<?>> all() {
        List<SharedInformer<?>> all = new ArrayList<>(byType.values());
        if (nodeLeases != null) {
            all.add(nodeLeases);
        }
        if (kubeSystemConfigMaps != null) {
            all.add(kubeSystemConfigMaps);
        }
        return all;
    }

    public void start() {
        started = true;
        all().forEach(SharedInformer::start);
    }

    public void stop() {
        all().forEach(SharedInformer::stop);
    }

    public boolean allSynced() {
        return all().stream().allMatch(SharedInformer::hasSynced);
    }
}
