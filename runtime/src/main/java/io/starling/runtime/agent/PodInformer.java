package io.starling.runtime.agent;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.starling.core.exec.EventLoop;
import io.starling.dht.kube.ObjectClient;
import io.starling.dht.kube.ResourceType;
import io.starling.dht.kube.Resources;
import io.starling.dht.store.CollectionKey;
import io.starling.dht.store.WatchListener;
import io.starling.dht.store.Watch;
import io.starling.dht.store.WatchEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the set of pods bound to this node current: list+watch of the Namespace collection, and
 * per namespace list+watch of its pods, keeping those with {@code spec.nodeName == node}. A watch
 * that reports Gone (or fails) re-lists its collection after {@code relistBackoffMillis}; keys that
 * vanished across a re-list are reported as changed too. Every change calls {@code onChange(key)}
 * with {@code namespace/name}; handlers only enqueue. Runs on the event loop.
 */
final class PodInformer {
    private static final Logger LOG = Logger.getLogger(PodInformer.class.getName());

    private final ObjectClient client;
    private final EventLoop loop;
    private final String nodeName;
    private final long relistBackoffMillis;
    private final Consumer<String> onChange;
    private final TreeMap<String, Pod> pods = new TreeMap<>();
    /** {@code "nodeName"} as JSON bytes, or null when the name could be escaped in JSON (never skip then). */
    private final byte[] quotedNodeName;
    private final TreeMap<String, Watch> podWatches = new TreeMap<>();
    /** Namespaces whose first pod list has completed. */
    private final TreeSet<String> syncedNamespaces = new TreeSet<>();
    private Watch namespaceWatch;
    private boolean namespacesListed;
    private boolean closed;

    PodInformer(ObjectClient client, EventLoop loop, String nodeName, long relistBackoffMillis, Consumer<String> onChange) {
        this.client = client;
        this.loop = loop;
        this.nodeName = nodeName;
        this.relistBackoffMillis = relistBackoffMillis;
        this.onChange = onChange;
        this.quotedNodeName = nodeName.matches("[A-Za-z0-9._-]+")
                ? ("\"" + nodeName + "\"").getBytes(java.nio.charset.StandardCharsets.UTF_8) : null;
    }

    void start() {
        listNamespaces();
    }

    /** True once the namespace list and every namespace's first pod list have completed. */
    boolean synced() {
        return namespacesListed && syncedNamespaces.containsAll(podWatches.keySet());
    }

    Pod get(String key) {
        return pods.get(key);
    }

    /** Pod keys currently known, sorted. */
    List<String> keys() {
        return new ArrayList<>(pods.keySet());
    }

    Map<String, Pod> snapshot() {
        return new TreeMap<>(pods);
    }

    /** Replaces the cached pod after our own successful write (the watch will confirm it). */
    void updateLocal(Pod pod) {
        String key = key(pod);
        Pod cur = pods.get(key);
        if (cur != null && newer(pod, cur)) {
            pods.put(key, pod);
        }
    }

    private void listNamespaces() {
        if (closed) {
            return;
        }
        client.listWithRevision(Namespace.class, "").whenComplete((listed, err) -> loop.execute(() -> {
            if (closed) {
                return;
            }
            if (err != null) {
                LOG.log(Level.FINE, "namespace list failed, retrying", err);
                loop.schedule(relistBackoffMillis, this::listNamespaces);
                return;
            }
            TreeSet<String> names = new TreeSet<>();
            listed.items().forEach(ns -> names.add(ns.getMetadata().getName()));
            // The default namespace holds pods even before anyone creates its Namespace object.
            names.add("default");
            for (String ns : names) {
                ensureNamespace(ns);
            }
            for (String ns : new ArrayList<>(podWatches.keySet())) {
                if (!names.contains(ns)) {
                    dropNamespace(ns);
                }
            }
            namespacesListed = true;
            if (namespaceWatch != null) {
                namespaceWatch.close();
            }
            namespaceWatch = client.store().watch(collection(Resources.NAMESPACES, ""), listed.revision(), new WatchListener() {
                        @Override
                        public void onEvent(WatchEvent e) {
                            loop.execute(() -> {
                                String ns = e.object().key().name();
                                if (e.type() == WatchEvent.Type.DELETED) {
                                    if (!"default".equals(ns)) {
                                        dropNamespace(ns);
                                    }
                                } else {
                                    ensureNamespace(ns);
                                }
                            });
                        }

                        @Override
                        public void onGone(String why) {
                            loop.execute(() -> loop.schedule(relistBackoffMillis, PodInformer.this::listNamespaces));
                        }
                    });
        }));
    }

    private void ensureNamespace(String ns) {
        if (closed || podWatches.containsKey(ns)) {
            return;
        }
        podWatches.put(ns, () -> {});
        listPods(ns);
    }

    private void dropNamespace(String ns) {
        Watch w = podWatches.remove(ns);
        syncedNamespaces.remove(ns);
        if (w != null) {
            w.close();
        }
        for (String key : new ArrayList<>(pods.keySet())) {
            if (key.startsWith(ns + "/")) {
                pods.remove(key);
                onChange.accept(key);
            }
        }
    }

    private void listPods(String ns) {
        if (closed || !podWatches.containsKey(ns)) {
            return;
        }
        client.listWithRevision(Pod.class, ns).whenComplete((listed, err) -> loop.execute(() -> {
            if (closed || !podWatches.containsKey(ns)) {
                return;
            }
            if (err != null) {
                LOG.log(Level.FINE, "pod list of " + ns + " failed, retrying", err);
                loop.schedule(relistBackoffMillis, () -> listPods(ns));
                return;
            }
            TreeSet<String> seen = new TreeSet<>();
            for (Pod p : listed.items()) {
                if (boundHere(p)) {
                    String key = key(p);
                    seen.add(key);
                    pods.put(key, p);
                    onChange.accept(key);
                }
            }
            for (String key : new ArrayList<>(pods.keySet())) {
                if (key.startsWith(ns + "/") && !seen.contains(key)) {
                    pods.remove(key);
                    onChange.accept(key);
                }
            }
            syncedNamespaces.add(ns);
            Watch old = podWatches.get(ns);
            old.close();
            podWatches.put(ns, client.store().watch(collection(Resources.PODS, ns), listed.revision(), new WatchListener() {
                        @Override
                        public void onEvent(WatchEvent e) {
                            loop.execute(() -> onPodEvent(ns, e));
                        }

                        @Override
                        public void onGone(String why) {
                            loop.execute(() -> loop.schedule(relistBackoffMillis, () -> listPods(ns)));
                        }
                    }));
        }));
    }

    private void onPodEvent(String ns, WatchEvent e) {
        if (closed || !podWatches.containsKey(ns)) {
            return;
        }
        String key = ns + "/" + e.object().key().name();
        if (e.type() == WatchEvent.Type.DELETED) {
            if (pods.remove(key) != null) {
                onChange.accept(key);
            }
            return;
        }
        if (!pods.containsKey(key) && cannotBeBoundHere(e.object().value())) {
            // Every pod of the namespace passes here, most bound elsewhere or not yet: decoding
            // them all was the largest CPU cost of an edge agent's loop.
            return;
        }
        Pod p = ObjectClient.decode(Pod.class, e.object());
        if (boundHere(p)) {
            pods.put(key, p);
            onChange.accept(key);
        } else if (pods.remove(key) != null) {
            onChange.accept(key);
        }
    }

    /** The store collection of a resource in our client's scope. */
    private CollectionKey collection(ResourceType rt, String ns) {
        return client.keyOf(rt, ns, "_").collection();
    }

    /**
     * True when the JSON cannot have spec.nodeName equal to this node: the quoted name appears
     * nowhere in it (a node name of DNS characters is never escaped). False = decode and check.
     */
    private boolean cannotBeBoundHere(byte[] json) {
        return quotedNodeName != null && json != null && indexOf(json, quotedNodeName) < 0;
    }

    static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private boolean boundHere(Pod p) {
        return p.getSpec() != null && nodeName.equals(p.getSpec().getNodeName());
    }

    static String key(Pod p) {
        return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
    }

    private static boolean newer(Pod a, Pod b) {
        try {
            return Long.parseLong(a.getMetadata().getResourceVersion()) >= Long.parseLong(b.getMetadata().getResourceVersion());
        } catch (RuntimeException e) {
            return true;
        }
    }

    void close() {
        closed = true;
        if (namespaceWatch != null) {
            namespaceWatch.close();
        }
        podWatches.values().forEach(Watch::close);
        podWatches.clear();
    }
}
