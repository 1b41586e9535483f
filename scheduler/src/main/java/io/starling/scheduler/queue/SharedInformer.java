package io.starling.scheduler.queue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.starling.core.exec.Cancellable;
import io.starling.core.exec.EventLoop;
import io.starling.dht.kube.KubeJson;
import io.starling.dht.kube.ObjectClient;
import io.starling.dht.kube.ResourceType;
import io.starling.dht.kube.Resources;
import io.starling.dht.store.CollectionKey;
import io.starling.dht.store.Watch;
import io.starling.dht.store.WatchEvent;
import io.starling.dht.store.WatchListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A local, sorted cache of one resource kept current by list + watch, with handlers that only
 * enqueue. The store has no "all namespaces" collection, so a namespaced resource is followed
 * through a list + watch of the Namespace collection and, per namespace, a list + watch of the
 * resource's collection; a cluster-scoped resource (or a single fixed namespace) is followed
 * directly. A watch that reports "gone" (history compacted, client moved to another super-peer)
 * leads to a re-list whose difference to the cache is delivered as add/update/delete.
 *
 * <p>Cached objects are shared: callers must copy ({@link KubeJson#copy}) before editing. All
 * callbacks from the store hop onto this informer's loop; a per-source generation number discards
 * events of a watch that was replaced.
 */
public final class SharedInformer<T extends HasMetadata> {
    private static final Logger LOG = Logger.getLogger(SharedInformer.class.getName());
    /** Wait before re-listing after a failed list or a "gone" watch. */
    public static final long RELIST_DELAY_MILLIS = 1000;
    /**
     * Namespaces followed even without a Namespace object (a cluster may hold objects in them
     * before anyone creates the object), as Kubernetes treats them as always present.
     */
    public static final java.util.List<String> BUILT_IN_NAMESPACES = java.util.List.of("default", "kube-node-lease",
            "kube-public", "kube-system");

    private final ObjectClient client;
    private final Class<T> type;
    private final ResourceType resource;
    private final EventLoop loop;
    /** Fixed namespace to follow, or null for all namespaces (or cluster scope). */
    private final String fixedNamespace;
    private final List<InformerHandler<T>> handlers = new ArrayList<>();
    private final List<Runnable> syncListeners = new ArrayList<>();
    private final TreeMap<String, TreeMap<String, T>> cache = new TreeMap<>();
    private final TreeMap<String, Source> sources = new TreeMap<>();
    private Source namespaceSource;
    private boolean started;
    private boolean stopped;
    private boolean synced;

    public SharedInformer(ObjectClient client, Class<T> type, EventLoop loop) {
        this(client, type, loop, null);
    }

    private SharedInformer(ObjectClient client, Class<T> type, EventLoop loop, String fixedNamespace) {
        this.client = client;
        this.type = type;
        this.resource = Resources.of(type);
        this.loop = loop;
        this.fixedNamespace = fixedNamespace;
    }

    /** An informer of one namespace only (e.g. node Leases in kube-node-lease). */
    public static <T extends HasMetadata> SharedInformer<T> inNamespace(ObjectClient client, Class<T> type,
                                                                        String namespace, EventLoop loop) {
        if (!Resources.of(type).namespaced()) {
            throw new IllegalArgumentException(type.getSimpleName() + " is cluster-scoped");
        }
        return new SharedInformer<>(client, type, loop, namespace);
    }

    public ResourceType resource() {
        return resource;
    }

    /** Adds a handler; it is told about objects already cached as adds. Call on the loop. */
    public void addHandler(InformerHandler<T> handler) {
        handlers.add(handler);
        for (T obj : list()) {
            handler.onAdd(obj);
        }
    }

    /** Runs {@code listener} (on the loop) once the initial lists are in the cache. */
    public void addSyncListener(Runnable listener) {
        syncListeners.add(listener);
        if (synced) {
            loop.execute(listener);
        }
    }

    public void start() {
        loop.execute(() -> {
            if (started || stopped) {
                return;
            }
            started = true;
            if (fixedNamespace != null) {
                ensureSource(fixedNamespace);
            } else if (!resource.namespaced()) {
                ensureSource("");
            } else {
                namespaceSource = new Source("");
                listNamespaces();
            }
        });
    }

    public void stop() {
        loop.execute(() -> {
            stopped = true;
            if (namespaceSource != null) {
                namespaceSource.close();
            }
            sources.values().forEach(Source::close);
        });
    }

    public boolean hasSynced() {
        return synced;
    }

    public T get(String namespace, String name) {
        TreeMap<String, T> ns = cache.get(resource.namespaced() ? nz(namespace) : "");
        return ns == null ? null : ns.get(name);
    }

    public Optional<T> find(String namespace, String name) {
        return Optional.ofNullable(get(namespace, name));
    }

    /** Every cached object, sorted by namespace then name. */
    public List<T> list() {
        List<T> all = new ArrayList<>();
        cache.values().forEach(m -> all.addAll(m.values()));
        return all;
    }

    /** Cached objects of one namespace, sorted by name. */
    public List<T> list(String namespace) {
        TreeMap<String, T> ns = cache.get(nz(namespace));
        return ns == null ? List.of() : new ArrayList<>(ns.values());
    }

    /** Namespaces that currently hold cached objects, sorted. */
    public Set<String> namespaces() {
        Set<String> out = new TreeSet<>();
        cache.forEach((ns, m) -> {
            if (!m.isEmpty()) {
                out.add(ns);
            }
        });
        return out;
    }

    // ---- namespaces ----------------------------------------------------------------------

    private void listNamespaces() {
        Source src = namespaceSource;
        int gen = ++src.generation;
        client.listWithRevision(Namespace.class, "").whenComplete((listed, error) -> loop.execute(() -> {
            if (stopped || gen != src.generation) {
                return;
            }
            if (error != null) {
                LOG.log(Level.FINE, "listing namespaces failed; retrying", error);
                src.retry = loop.schedule(RELIST_DELAY_MILLIS, this::listNamespaces);
                return;
            }
            Set<String> present = new TreeSet<>(BUILT_IN_NAMESPACES);
            listed.items().forEach(n -> present.add(n.getMetadata().getName()));
            for (String ns : List.copyOf(sources.keySet())) {
                if (!present.contains(ns)) {
                    dropSource(ns);
                }
            }
            present.forEach(this::ensureSource);
            src.synced = true;
            CollectionKey col = collectionOf(Resources.NAMESPACES, "");
            src.watch = client.store().watch(col, listed.revision(), new WatchListener() {
                @Override
                public void onEvent(WatchEvent e) {
                    loop.execute(() -> {
                        if (stopped || gen != src.generation) {
                            return;
                        }
                        String name = e.object().key().name();
                        if (e.type() == WatchEvent.Type.DELETED) {
                            if (!BUILT_IN_NAMESPACES.contains(name)) {
                                dropSource(name);
                            }
                        } else {
                            ensureSource(name);
                        }
                    });
                }

                @Override
                public void onGone(String why) {
                    loop.execute(() -> {
                        if (!stopped && gen == src.generation) {
                            src.close();
                            src.retry = loop.schedule(RELIST_DELAY_MILLIS, SharedInformer.this::listNamespaces);
                        }
                    });
                }
            });
            checkSynced();
        }));
    }

    // ---- one collection -------------------------------------------------------------------

    private final class Source {
        final String namespace;
        int generation;
        boolean synced;
        Watch watch;
        Cancellable retry = Cancellable.NONE;

        Source(String namespace) {
            this.namespace = namespace;
        }

        void close() {
            generation++;
            retry.cancel();
            if (watch != null) {
                watch.close();
                watch = null;
            }
        }
    }

    private void ensureSource(String ns) {
        if (stopped || sources.containsKey(ns)) {
            return;
        }
        Source src = new Source(ns);
        sources.put(ns, src);
        listAndWatch(src);
    }

    private void dropSource(String ns) {
        Source src = sources.remove(ns);
        if (src != null) {
            src.close();
        }
        TreeMap<String, T> gone = cache.remove(ns);
        if (gone != null) {
            gone.values().forEach(this::fireDelete);
        }
    }

    private void listAndWatch(Source src) {
        int gen = ++src.generation;
        client.listWithRevision(type, src.namespace).whenComplete((listed, error) -> loop.execute(() -> {
            if (stopped || gen != src.generation) {
                return;
            }
            if (error != null) {
                LOG.log(Level.FINE, "listing " + resource.resource() + " in '" + src.namespace + "' failed; retrying", error);
                src.retry = loop.schedule(RELIST_DELAY_MILLIS, () -> listAndWatch(src));
                return;
            }
            replace(src.namespace, listed.items());
            src.synced = true;
            src.watch = client.store().watch(collectionOf(resource, src.namespace), listed.revision(), new WatchListener() {
                @Override
                public void onEvent(WatchEvent e) {
                    loop.execute(() -> {
                        if (!stopped && gen == src.generation) {
                            apply(src.namespace, e);
                        }
                    });
                }

                @Override
                public void onGone(String why) {
                    loop.execute(() -> {
                        if (!stopped && gen == src.generation) {
                            src.close();
                            src.retry = loop.schedule(RELIST_DELAY_MILLIS, () -> listAndWatch(src));
                        }
                    });
                }
            });
            checkSynced();
        }));
    }

    private void replace(String ns, List<T> items) {
        TreeMap<String, T> old = cache.getOrDefault(ns, new TreeMap<>());
        TreeMap<String, T> fresh = new TreeMap<>();
        items.forEach(o -> fresh.put(o.getMetadata().getName(), o));
        cache.put(ns, fresh);
        for (Map.Entry<String, T> e : old.entrySet()) {
            if (!fresh.containsKey(e.getKey())) {
                fireDelete(e.getValue());
            }
        }
        for (Map.Entry<String, T> e : fresh.entrySet()) {
            T prev = old.get(e.getKey());
            if (prev == null) {
                fireAdd(e.getValue());
            } else if (!sameVersion(prev, e.getValue())) {
                fireUpdate(prev, e.getValue());
            }
        }
    }

    private void apply(String ns, WatchEvent e) {
        byte[] bytes = e.object().deleted() ? e.previous() : e.object().value();
        if (bytes == null) {
            return;
        }
        T obj;
        try {
            obj = KubeJson.fromBytes(bytes, type);
        } catch (IllegalArgumentException bad) {
            LOG.warning("skipping unreadable " + resource.kind() + " " + e.object().key() + ": " + bad.getMessage());
            return;
        }
        obj.getMetadata().setResourceVersion(Long.toString(e.object().revision()));
        String name = e.object().key().name();
        TreeMap<String, T> m = cache.computeIfAbsent(ns, k -> new TreeMap<>());
        if (e.type() == WatchEvent.Type.DELETED) {
            T prev = m.remove(name);
            fireDelete(prev != null ? prev : obj);
            if (m.isEmpty()) {
                cache.remove(ns);
            }
        } else {
            T prev = m.put(name, obj);
            if (prev == null) {
                fireAdd(obj);
            } else {
                fireUpdate(prev, obj);
            }
        }
    }

    private void checkSynced() {
        if (synced) {
            return;
        }
        if (namespaceSource != null && !namespaceSource.synced) {
            return;
        }
        for (Source s : sources.values()) {
            if (!s.synced) {
                return;
            }
        }
        synced = true;
        syncListeners.forEach(Runnable::run);
    }

    private CollectionKey collectionOf(ResourceType rt, String ns) {
        return client.keyOf(rt, ns, "_").collection();
    }

    private static boolean sameVersion(HasMetadata a, HasMetadata b) {
        return java.util.Objects.equals(a.getMetadata().getResourceVersion(), b.getMetadata().getResourceVersion());
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private void fireAdd(T obj) {
        for (InformerHandler<T> h : handlers) {
            guard(() -> h.onAdd(obj));
        }
    }

    private void fireUpdate(T prev, T obj) {
        for (InformerHandler<T> h : handlers) {
            guard(() -> h.onUpdate(prev, obj));
        }
    }

    private void fireDelete(T obj) {
        for (InformerHandler<T> h : handlers) {
            guard(() -> h.onDelete(obj));
        }
    }

    private static void guard(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "informer handler failed", e);
        }
    }
}
