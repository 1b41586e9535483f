package io.starling.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.dht.kube.ResourceType;
import io.starling.dht.kube.Resources;
import io.starling.dht.store.ClusterStore;
import io.starling.dht.store.CollectionKey;
import io.starling.dht.store.ListResult;
import io.starling.dht.store.ObjectKey;
import io.starling.dht.store.Precondition;
import io.starling.dht.store.StoreException;
import io.starling.dht.store.Versioned;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * API objects as JSON trees over the {@link ClusterStore}: the stored bytes never carry
 * metadata.resourceVersion; reads set it from the store revision (decimal), as ObjectClient does.
 * Every continuation runs on {@code worker}, never on the store's event loop.
 */
public final class ObjectStore {
    private final ClusterStore store;
    private final Executor worker;
    private final String scope;

    public ObjectStore(ClusterStore store, Executor worker, String scope) {
        this.store = store;
        this.worker = worker;
        this.scope = scope;
    }

    /** Objects and the revision to watch from. */
    public record Listing(List<ObjectNode> items, long revision) {}

    public ClusterStore store() {
        return store;
    }

    public String scope() {
        return scope;
    }

    public Executor worker() {
        return worker;
    }

    public CollectionKey collection(ResourceType rt, String namespace) {
        return rt.collection(scope, rt.namespaced() ? namespace : "");
    }

    public ObjectKey key(ResourceType rt, String namespace, String name) {
        return collection(rt, namespace).object(name);
    }

    public CompletableFuture<Optional<ObjectNode>> get(ResourceType rt, String namespace, String name) {
        return store.get(key(rt, namespace, name)).thenApplyAsync(v -> v.map(ObjectStore::decode), worker);
    }

    /** The object or 404. */
    public CompletableFuture<ObjectNode> require(ResourceType rt, String namespace, String name) {
        return get(rt, namespace, name).thenApply(o -> o.orElseThrow(() -> ApiException.notFound(rt.group(), rt.resource(), name)));
    }

    public CompletableFuture<Listing> list(ResourceType rt, String namespace) {
        return store.list(collection(rt, namespace)).thenApplyAsync(ObjectStore::decodeAll, worker);
    }

    /** All namespaces of a namespaced resource (fan-out over the Namespace collection). */
    public CompletableFuture<Listing> listAll(ResourceType rt) {
        return listAll(rt, ns -> true);
    }

    /** Like {@link #listAll(ResourceType)}, reading only the namespaces {@code namespaces} accepts. */
    public CompletableFuture<Listing> listAll(ResourceType rt, java.util.function.Predicate<String> namespaces) {
        if (!rt.namespaced()) {
            return list(rt, "");
        }
        return namespaceNames().thenCompose(names -> {
            List<CompletableFuture<Listing>> parts = new ArrayList<>();
            for (String ns : names) {
                if (namespaces.test(ns)) {
                    parts.add(list(rt, ns));
                }
            }
            return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApplyAsync(x -> {
                List<ObjectNode> all = new ArrayList<>();
                long rev = 0;
                for (CompletableFuture<Listing> p : parts) {
                    all.addAll(p.join().items());
                    rev = Math.max(rev, p.join().revision());
                }
                return new Listing(all, rev);
            }, worker);
        });
    }

    public CompletableFuture<List<String>> namespaceNames() {
        return store.list(collection(Resources.NAMESPACES, "")).thenApplyAsync(r -> {
            List<String> names = new ArrayList<>();
            r.items().forEach(v -> names.add(v.key().name()));
            return names;
        }, worker);
    }

    /** Writes {@code object} (its resourceVersion is stripped) under the precondition; returns it as stored. */
    public CompletableFuture<ObjectNode> put(ResourceType rt, ObjectNode object, Precondition p) {
        ObjectNode meta = Json.with(object, "metadata");
        String ns = rt.namespaced() ? meta.path("namespace").asText("") : "";
        ObjectKey key = key(rt, ns, meta.path("name").asText());
        ObjectNode copy = object.deepCopy();
        Json.with(copy, "metadata").remove("resourceVersion");
        return store.put(key, Json.bytes(copy), p).thenApplyAsync(ObjectStore::decode, worker);
    }

    public CompletableFuture<Versioned> delete(ResourceType rt, String namespace, String name, Precondition p) {
        return store.delete(key(rt, namespace, name), p).thenApplyAsync(v -> v, worker);
    }

    public static ObjectNode decode(Versioned v) {
        ObjectNode o = Json.parseObject(v.value());
        Json.with(o, "metadata").put("resourceVersion", Long.toString(v.revision()));
        return o;
    }

    private static Listing decodeAll(ListResult r) {
        List<ObjectNode> items = new ArrayList<>(r.items().size());
        for (Versioned v : r.items()) {
            items.add(decode(v));
        }
        return new Listing(items, r.revision());
    }

    /** Unwraps CompletionException layers. */
    public static Throwable cause(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Maps a store failure to the Status kube-apiserver would give. */
    public static ApiException toApi(StoreException e, ResourceType rt, String name) {
        String what = rt.group().isEmpty() ? rt.resource() : rt.resource() + "." + rt.group();
        return switch (e.reason()) {
            case CONFLICT -> new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + what + " \"" + name
                    + "\": the object has been modified; please apply your changes to the latest version and try again",
                    rt.group(), rt.resource(), name);
            case ALREADY_EXISTS -> new ApiException(409, "AlreadyExists", what + " \"" + name + "\" already exists",
                    rt.group(), rt.resource(), name);
            case NOT_FOUND -> ApiException.notFound(rt.group(), rt.resource(), name);
            case GONE -> new ApiException(410, "Expired", e.getMessage());
            case UNAVAILABLE -> new ApiException(503, "ServiceUnavailable", e.getMessage());
            case INVALID -> ApiException.badRequest(e.getMessage());
        };
    }
}
