package io.starling.dht.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.starling.core.random.RandomSource;
import io.starling.core.time.Clock;
import io.starling.dht.store.ClusterStore;
import io.starling.dht.store.CollectionKey;
import io.starling.dht.store.ListResult;
import io.starling.dht.store.ObjectKey;
import io.starling.dht.store.Precondition;
import io.starling.dht.store.Versioned;
import io.starling.dht.store.Watch;
import io.starling.dht.store.WatchEvent;
import io.starling.dht.store.WatchListener;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * Typed access to Kubernetes objects in a {@link ClusterStore}, used by controllers, the
 * scheduler and the node agent (the gateway adds the HTTP semantics on top). It keeps the
 * server-side rules in one place: metadata.resourceVersion is the store revision, create sets uid,
 * creationTimestamp and generation, and an update carries the object's resourceVersion as a
 * compare-and-set precondition (a stale one fails with CONFLICT, i.e. 409).
 */
public final class ObjectClient {
    private final ClusterStore store;
    private final Clock clock;
    private final RandomSource random;
    private final String scope;

    public ObjectClient(ClusterStore store, Clock clock, RandomSource random, String scope) {
        this.store = store;
        this.clock = clock;
        this.random = random;
        this.scope = scope;
    }

    public ObjectClient(ClusterStore store, Clock clock, RandomSource random) {
        this(store, clock, random, CollectionKey.DEFAULT_SCOPE);
    }

    public ClusterStore store() {
        return store;
    }

    public ObjectKey keyOf(ResourceType type, String namespace, String name) {
        return type.collection(scope, namespace).object(name);
    }

    public <T extends HasMetadata> CompletableFuture<Optional<T>> get(Class<T> type, String namespace, String name) {
        ResourceType rt = Resources.of(type);
        return store.get(keyOf(rt, namespace, name)).thenApply(v -> v.map(x -> decode(type, x)));
    }

    public <T extends HasMetadata> CompletableFuture<List<T>> list(Class<T> type, String namespace) {
        return listWithRevision(type, namespace).thenApply(Listed::items);
    }

    /** Objects plus the revision to start a watch from. */
    public record Listed<T>(List<T> items, long revision) {}

    public <T extends HasMetadata> CompletableFuture<Listed<T>> listWithRevision(Class<T> type, String namespace) {
        ResourceType rt = Resources.of(type);
        return store.list(rt.collection(scope, namespace)).thenApply(r -> decodeAll(type, r));
    }

    /** Lists a namespaced resource over every namespace (fan-out over the Namespace collection). */
    public <T extends HasMetadata> CompletableFuture<List<T>> listAllNamespaces(Class<T> type) {
        ResourceType rt = Resources.of(type);
        if (!rt.namespaced()) {
            return list(type, "");
        }
        return namespaceNames().thenCompose(names -> {
            List<CompletableFuture<List<T>>> parts = new ArrayList<>();
            for (String ns : names) {
                parts.add(list(type, ns));
            }
            return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(x -> {
                List<T> all = new ArrayList<>();
                parts.forEach(p -> all.addAll(p.join()));
                return all;
            });
        });
    }

    public CompletableFuture<List<String>> namespaceNames() {
        return store.list(Resources.NAMESPACES.collection(scope, "")).thenApply(r -> {
            List<String> names = new ArrayList<>();
            r.items().forEach(v -> names.add(v.key().name()));
            return names;
        });
    }

    /** Creates the object; fails with ALREADY_EXISTS if the name is taken. */
    public <T extends HasMetadata> CompletableFuture<T> create(T object) {
        ResourceType rt = Resources.of(object.getClass());
        ObjectMeta meta = object.getMetadata();
        if (meta == null || meta.getName() == null) {
            throw new IllegalArgumentException(rt.kind() + " needs metadata.name");
        }
        prepareCreate(rt, object);
        return write(rt, object, Precondition.MUST_NOT_EXIST);
    }

    /** Sets the fields a server owns on create (uid, creationTimestamp, generation, apiVersion/kind). */
    public void prepareCreate(ResourceType rt, HasMetadata object) {
        ObjectMeta meta = object.getMetadata();
        object.setApiVersion(rt.apiVersion());
        if (!rt.namespaced()) {
            meta.setNamespace(null);
        } else if (meta.getNamespace() == null || meta.getNamespace().isEmpty()) {
            meta.setNamespace("default");
        }
        meta.setUid(newUid());
        meta.setCreationTimestamp(timestamp());
        meta.setGeneration(1L);
        meta.setResourceVersion(null);
    }

    /** Replaces the object if its metadata.resourceVersion is still current (409 otherwise). */
    public <T extends HasMetadata> CompletableFuture<T> update(T object) {
        ResourceType rt = Resources.of(object.getClass());
        String rv = object.getMetadata().getResourceVersion();
        Precondition p = rv == null || rv.isEmpty() ? Precondition.MUST_EXIST : Precondition.revisionEquals(Long.parseLong(rv));
        return write(rt, object, p);
    }

    public CompletableFuture<Versioned> delete(ResourceType rt, String namespace, String name) {
        return store.delete(keyOf(rt, namespace, name), Precondition.NONE);
    }

    @SuppressWarnings("unchecked")
    private <T extends HasMetadata> CompletableFuture<T> write(ResourceType rt, T object, Precondition p) {
        String ns = rt.namespaced() ? object.getMetadata().getNamespace() : "";
        ObjectKey key = keyOf(rt, ns, object.getMetadata().getName());
        object.getMetadata().setResourceVersion(null);
        byte[] bytes = KubeJson.toBytes(object);
        return store.put(key, bytes, p).thenApply(v -> decode((Class<T>) object.getClass(), v));
    }

    /** Watches one collection; events arrive decoded, in order. */
    public <T extends HasMetadata> Watch watch(Class<T> type, String namespace, long fromRevision,
                                               BiConsumer<WatchEvent.Type, T> handler) {
        ResourceType rt = Resources.of(type);
        return store.watch(rt.collection(scope, namespace), fromRevision, new WatchListener() {
            @Override
            public void onEvent(WatchEvent e) {
                byte[] bytes = e.object().deleted() ? e.previous() : e.object().value();
                if (bytes == null) {
                    return;
                }
                T obj = KubeJson.fromBytes(bytes, type);
                obj.getMetadata().setResourceVersion(Long.toString(e.object().revision()));
                handler.accept(e.type(), obj);
            }
        });
    }

    public static <T extends HasMetadata> T decode(Class<T> type, Versioned v) {
        T obj = KubeJson.fromBytes(v.value(), type);
        obj.getMetadata().setResourceVersion(Long.toString(v.revision()));
        return obj;
    }

    private static <T extends HasMetadata> Listed<T> decodeAll(Class<T> type, ListResult r) {
        List<T> items = new ArrayList<>(r.items().size());
        for (Versioned v : r.items()) {
            items.add(decode(type, v));
        }
        return new Listed<>(items, r.revision());
    }

    public String timestamp() {
        return Instant.ofEpochMilli(clock.wallMillis()).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** A version-4 style UUID from the injected random source (deterministic in simulation). */
    public String newUid() {
        long hi = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long lo = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new java.util.UUID(hi, lo).toString();
    }
}
