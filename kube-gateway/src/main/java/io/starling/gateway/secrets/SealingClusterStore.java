package io.starling.gateway.secrets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.dht.store.ClusterStore;
import io.starling.dht.store.CollectionKey;
import io.starling.dht.store.ListResult;
import io.starling.dht.store.ObjectKey;
import io.starling.dht.store.Precondition;
import io.starling.dht.store.StoreException;
import io.starling.dht.store.Versioned;
import io.starling.dht.store.Watch;
import io.starling.dht.store.WatchEvent;
import io.starling.dht.store.WatchListener;
import io.starling.gateway.api.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The {@link ClusterStore} of a super-peer with Secrets of scoped namespaces sealed at rest. Every
 * writer on the super-peer goes through it (the Kubernetes API with its create, update, patch and
 * server-side apply paths, the controllers, and the edge peers' {@code StoreService}); the
 * cross-site merge runs below it on sealed records and treats the sealed annotation as one field.
 *
 * <ul>
 *   <li><b>put</b> of a Secret in a namespace of a scope: stringData is folded into data, then data
 *       and the last-applied annotation are sealed with the scope key ({@link SecretSeal}); the
 *       result handed back to the caller is the plaintext object. A super-peer outside the scope's
 *       sites cannot seal and refuses the write (503 through the API); so does any peer for an
 *       object that was read redacted (writing it back would erase the data).</li>
 *   <li><b>get</b>, <b>list</b> and <b>watch</b> open the data; where that is impossible (no key
 *       here, or the ciphertext does not authenticate) the object is redacted: no data, no
 *       ciphertext, and the annotation {@value SecretSeal#REDACTED} says why and where it can be
 *       read. The API turns a GET of a redacted Secret into a 503 with that text; a delete works
 *       (it needs no data), a write-back of the redacted object is refused.</li>
 *   <li>Secrets of namespaces outside every scope, delete, and all other objects pass through.</li>
 * </ul>
 */
public final class SealingClusterStore implements ClusterStore {
    private final ClusterStore inner;
    private final ScopeKeyKeeper keys;

    public SealingClusterStore(ClusterStore inner, ScopeKeyKeeper keys) {
        this.inner = inner;
        this.keys = keys;
    }

    /** The store below (sealed records). */
    public ClusterStore inner() {
        return inner;
    }

    @Override
    public CompletableFuture<Optional<Versioned>> get(ObjectKey key) {
        if (!SecretStores.isSecret(key)) {
            return inner.get(key);
        }
        return inner.get(key).thenApply(o -> o.map(this::open));
    }

    @Override
    public CompletableFuture<ListResult> list(CollectionKey collection) {
        if (!SecretStores.isSecrets(collection)) {
            return inner.list(collection);
        }
        return inner.list(collection).thenApply(r -> {
            List<Versioned> items = new ArrayList<>(r.items().size());
            r.items().forEach(v -> items.add(open(v)));
            return new ListResult(items, r.revision());
        });
    }

    @Override
    public CompletableFuture<Versioned> put(ObjectKey key, byte[] value, Precondition precondition) {
        if (!SecretStores.isSecret(key) || value == null) {
            return inner.put(key, value, precondition);
        }
        return keys.ready().thenCompose(x -> sealAndPut(key, value, precondition));
    }

    private CompletableFuture<Versioned> sealAndPut(ObjectKey key, byte[] value, Precondition precondition) {
        ObjectNode o;
        try {
            o = Json.parseObject(value);
        } catch (RuntimeException e) {
            return inner.put(key, value, precondition); // not JSON: nothing of ours to seal, the layers above reject it
        }
        if (o.path("metadata").path("annotations").has(SecretSeal.REDACTED)) {
            return CompletableFuture.failedFuture(new StoreException(StoreException.Reason.UNAVAILABLE,
                    "secret " + key.collection().namespace() + "/" + key.name() + " was read without its sealed data ("
                            + o.path("metadata").path("annotations").path(SecretSeal.REDACTED).asText()
                            + "); writing it back would erase the data"));
        }
        String ns = key.collection().namespace();
        Optional<String> scope = keys.scopes().scopeOf(ns);
        if (scope.isEmpty()) {
            return inner.put(key, value, precondition);
        }
        SecretSeal.foldStringData(o);
        Json.with(o, "metadata").put("namespace", ns);
        byte[] plain = Json.bytes(o);
        if (!SecretSeal.hasSecretContent(o)) {
            ObjectNode ann = (ObjectNode) o.path("metadata").get("annotations");
            if (ann != null && ann.remove(SecretSeal.SEALED) != null) {
                plain = Json.bytes(o);
            }
            byte[] stored = plain;
            return inner.put(key, stored, precondition);
        }
        byte[] plainFinal = plain;
        return keys.sealingKey(scope.get()).thenCompose(k -> {
            ObjectNode sealed = o.deepCopy();
            SecretSeal.seal(sealed, k.scope(), k.keyId(), k.key());
            return inner.put(key, Json.bytes(sealed), precondition);
        }).handle((v, e) -> {
            if (e != null) {
                throw new CompletionException(openCurrent(unwrap(e)));
            }
            return new Versioned(v.key(), plainFinal, v.revision(), v.homeSite());
        });
    }

    @Override
    public CompletableFuture<Versioned> delete(ObjectKey key, Precondition precondition) {
        return inner.delete(key, precondition);
    }

    @Override
    public Watch watch(CollectionKey collection, long fromRevision, WatchListener listener) {
        if (!SecretStores.isSecrets(collection)) {
            return inner.watch(collection, fromRevision, listener);
        }
        return inner.watch(collection, fromRevision, new WatchListener() {
            @Override
            public void onEvent(WatchEvent e) {
                byte[] previous = e.previous() == null ? null : open(new Versioned(e.object().key(), e.previous(),
                        e.object().revision(), e.object().homeSite())).value();
                listener.onEvent(new WatchEvent(e.type(), open(e.object()), previous));
            }

            @Override
            public void onGone(String why) {
                listener.onGone(why);
            }
        });
    }

    /**
     * The object with its data opened, or where that is impossible redacted (no data, and a note
     * saying why). Objects without sealed data are returned unchanged.
     */
    Versioned open(Versioned v) {
        if (v.value() == null || !contains(v.value(), MARKER)) {
            return v; // the common case decided without parsing: no sealed annotation in the bytes
        }
        ObjectNode o;
        try {
            o = Json.parseObject(v.value());
        } catch (RuntimeException e) {
            return v;
        }
        if (!o.path("metadata").path("annotations").has(SecretSeal.SEALED)) {
            return v;
        }
        ScopeKeyRing ring = keys.ring();
        String why;
        try {
            SecretSeal.Header h = SecretSeal.header(o);
            Optional<byte[]> key = ring.key(h.scope(), h.keyId());
            if (key.isPresent()) {
                SecretSeal.open(o, key.get());
                return new Versioned(v.key(), Json.bytes(o), v.revision(), v.homeSite());
            }
            if (!ring.eligible(h.scope())) {
                why = ScopeKeyKeeper.notEligible(ring, h.scope()).getMessage();
            } else {
                why = "secret data of scope " + h.scope() + " is sealed with key " + h.keyId()
                        + ", which has not been handed to this super-peer (site " + ring.site() + ") yet; retry shortly";
            }
        } catch (SealException e) {
            why = e.getMessage();
        }
        SecretSeal.redact(o, why);
        return new Versioned(v.key(), Json.bytes(o), v.revision(), v.homeSite());
    }

    private static final byte[] MARKER = SecretSeal.SEALED.getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private Throwable openCurrent(Throwable e) {
        if (e instanceof StoreException se && se.current() != null) {
            return new StoreException(se.reason(), se.getMessage(), open(se.current()));
        }
        return e;
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
