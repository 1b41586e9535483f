package io.starling.scheduler.controller;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.starling.core.random.SeededRandom;
import io.starling.dht.kube.KubeJson;
import io.starling.dht.kube.ObjectClient;
import io.starling.dht.store.MemoryClusterStore;
import io.starling.scheduler.testing.ManualEventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** An in-memory cluster with a controller manager on virtual time, plus a fake kubelet. */
final class ClusterFixture {
    final ManualEventLoop loop = new ManualEventLoop();
    final MemoryClusterStore store = new MemoryClusterStore(loop, "s1");
    final ObjectClient client = new ObjectClient(store, loop.clock(), new SeededRandom(7));
    final ControllerManager manager;
    private int ipCounter = 1;

    ClusterFixture() {
        this(ControllerConfig.forSite("s1"));
    }

    ClusterFixture(ControllerConfig cfg) {
        this(cfg, true);
    }

    /** Without {@code startManager} the test runs its own managers (e.g. under leader election). */
    ClusterFixture(ControllerConfig cfg, boolean startManager) {
        namespace("default");
        namespace(Informers.NODE_LEASE_NAMESPACE);
        node("n1", "s1");
        manager = startManager ? new ControllerManager(cfg, client, loop, new SeededRandom(42)) : null;
        if (manager != null) {
            manager.start();
        }
        settle();
    }

    void settle() {
        loop.advance(50);
    }

    void advance(long millis) {
        loop.advance(millis);
    }

    <T> T await(java.util.concurrent.CompletionStage<T> f) {
        return loop.await(f);
    }

    void namespace(String name) {
        Namespace ns = new Namespace();
        ns.setMetadata(meta(name, null));
        await(client.create(ns));
    }

    private final java.util.Map<String, io.starling.core.exec.Cancellable> heartbeats = new java.util.TreeMap<>();

    /** A Node of {@code site} whose fake agent renews its Lease every 2 s until {@link #stopHeartbeat}. */
    void node(String name, String site) {
        io.fabric8.kubernetes.api.model.Node n = new io.fabric8.kubernetes.api.model.Node();
        n.setMetadata(meta(name, null));
        n.getMetadata().setLabels(new TreeMap<>(Map.of(io.starling.dht.kube.StarlingLabels.SITE, site)));
        io.fabric8.kubernetes.api.model.NodeStatus st = new io.fabric8.kubernetes.api.model.NodeStatus();
        io.fabric8.kubernetes.api.model.NodeCondition ready = new io.fabric8.kubernetes.api.model.NodeCondition();
        ready.setType("Ready");
        ready.setStatus("True");
        st.setConditions(List.of(ready));
        n.setStatus(st);
        await(client.create(n));
        startHeartbeat(name);
    }

    void startHeartbeat(String name) {
        heartbeats.put(name, loop.scheduleAtFixedRate(0, 2000, () -> renewLease(name)));
    }

    void stopHeartbeat(String name) {
        heartbeats.remove(name).cancel();
    }

    private void renewLease(String name) {
        java.time.ZonedDateTime now = java.time.Instant.ofEpochMilli(loop.clock().wallMillis()).atZone(java.time.ZoneOffset.UTC);
        client.get(io.fabric8.kubernetes.api.model.coordination.v1.Lease.class, Informers.NODE_LEASE_NAMESPACE, name).thenAccept(found -> {
            io.fabric8.kubernetes.api.model.coordination.v1.Lease l = found.orElseGet(() -> {
                io.fabric8.kubernetes.api.model.coordination.v1.Lease x = new io.fabric8.kubernetes.api.model.coordination.v1.Lease();
                x.setMetadata(meta(name, Informers.NODE_LEASE_NAMESPACE));
                x.setSpec(new io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec());
                return x;
            });
            l.getSpec().setHolderIdentity(name);
            l.getSpec().setLeaseDurationSeconds(40);
            l.getSpec().setRenewTime(now);
            if (found.isPresent()) {
                client.update(l);
            } else {
                client.create(l);
            }
        });
    }

    static ObjectMeta meta(String name, String namespace) {
        ObjectMeta m = new ObjectMeta();
        m.setName(name);
        m.setNamespace(namespace);
        return m;
    }

    Deployment deployment(String name, int replicas, String image, Consumer<Deployment> tweak) {
        Deployment d = new Deployment();
        d.setMetadata(meta(name, "default"));
        DeploymentSpec spec = new DeploymentSpec();
        spec.setReplicas(replicas);
        LabelSelector sel = new LabelSelector();
        sel.setMatchLabels(Map.of("app", name));
        spec.setSelector(sel);
        PodTemplateSpec t = new PodTemplateSpec();
        t.setMetadata(new ObjectMeta());
        t.getMetadata().setLabels(new TreeMap<>(Map.of("app", name)));
        PodSpec ps = new PodSpec();
        Container c = new Container();
        c.setName("main");
        c.setImage(image);
        ps.setContainers(List.of(c));
        t.setSpec(ps);
        spec.setTemplate(t);
        d.setSpec(spec);
        tweak.accept(d);
        Deployment created = await(client.create(d));
        settle();
        return created;
    }

    /** Changes the spec the way the API does (generation + 1), retrying on conflict. */
    <T extends HasMetadata> void editSpec(Class<T> type, String name, Consumer<T> edit) {
        for (int i = 0; i < 10; i++) {
            T cur = await(client.get(type, "default", name)).orElseThrow();
            edit.accept(cur);
            cur.getMetadata().setGeneration(cur.getMetadata().getGeneration() + 1);
            try {
                await(client.update(cur));
                settle();
                return;
            } catch (RuntimeException conflict) {
                settle();
            }
        }
        throw new AssertionError("could not update " + name);
    }

    Deployment deploymentNow(String name) {
        return await(client.get(Deployment.class, "default", name)).orElseThrow();
    }

    List<ReplicaSet> replicaSets() {
        return await(client.list(ReplicaSet.class, "default"));
    }

    List<Pod> pods() {
        return await(client.list(Pod.class, "default"));
    }

    List<Pod> livePods(Predicate<Pod> filter) {
        List<Pod> out = new ArrayList<>();
        for (Pod p : pods()) {
            if (p.getMetadata().getDeletionTimestamp() == null && filter.test(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /** The fake kubelet: binds every unbound pod to {@code node}, runs it and marks it Ready. */
    int runAndReady(String node, Predicate<Pod> which) {
        int n = 0;
        for (Pod p : pods()) {
            if (p.getMetadata().getDeletionTimestamp() != null || !which.test(p) || Pods.isReady(p)) {
                continue;
            }
            Pod copy = KubeJson.copy(p, Pod.class);
            if (copy.getSpec().getNodeName() == null) {
                copy.getSpec().setNodeName(node);
            }
            PodStatus st = new PodStatus();
            st.setPhase("Running");
            st.setPodIP("10.0.0." + (ipCounter++));
            PodCondition ready = new PodCondition();
            ready.setType("Ready");
            ready.setStatus("True");
            ready.setLastTransitionTime(client.timestamp());
            st.setConditions(List.of(ready));
            copy.setStatus(st);
            try {
                await(client.update(copy));
                n++;
            } catch (RuntimeException conflict) {
                // the controller changed it meanwhile; the next round catches it
                if (System.getenv("FIXTURE_DEBUG") != null) {
                    conflict.printStackTrace();
                }
            }
        }
        settle();
        return n;
    }

    /** The fake kubelet finishing graceful deletions: removes pods marked for deletion. */
    int finalizeTerminating() {
        int n = 0;
        for (Pod p : pods()) {
            if (p.getMetadata().getDeletionTimestamp() != null) {
                try {
                    await(client.delete(io.starling.dht.kube.Resources.PODS, "default", p.getMetadata().getName()));
                    n++;
                } catch (RuntimeException gone) {
                    // already gone
                }
            }
        }
        settle();
        return n;
    }

    /** Runs kubelet rounds until nothing changes. */
    void kubeletUntilStable(String node) {
        for (int i = 0; i < 50; i++) {
            int changed = runAndReady(node, p -> true) + finalizeTerminating();
            advance(100);
            if (changed == 0) {
                return;
            }
        }
    }
}
