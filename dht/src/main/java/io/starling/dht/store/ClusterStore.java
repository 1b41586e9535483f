package io.starling.dht.store;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The replacement for etcd: versioned objects in collections, with compare-and-set writes,
 * consistent lists and ordered watches. Every component above the DHT (gateway, scheduler,
 * controllers, node agent) speaks only this interface, whether the DHT runs in-process on a
 * super-peer or the caller is an edge peer that forwards to its super-peer.
 *
 * <p>Futures complete on the store's event loop, or exceptionally with {@link StoreException}.
 */
public interface ClusterStore {
    CompletableFuture<Optional<Versioned>> get(ObjectKey key);

    CompletableFuture<ListResult> list(CollectionKey collection);

    /** Writes {@code value} if {@code precondition} holds; returns the stored version. */
    CompletableFuture<Versioned> put(ObjectKey key, byte[] value, Precondition precondition);

    /** Replaces the object with a tombstone if {@code precondition} holds; returns the tombstone. */
    CompletableFuture<Versioned> delete(ObjectKey key, Precondition precondition);

    /**
     * Streams changes with revision greater than {@code fromRevision} (0 = from now on). When the
     * changes since {@code fromRevision} are no longer kept, {@link WatchListener#onGone} is called.
     */
    Watch watch(CollectionKey collection, long fromRevision, WatchListener listener);
}
