package io.starling.dht.cluster;

import io.starling.dht.record.DhtRecord;
import io.starling.dht.store.CollectionKey;
import io.starling.dht.store.ObjectKey;
import io.starling.dht.store.Precondition;
import io.starling.dht.store.StoreException;
import io.starling.dht.store.Versioned;

/** Conversions between DHT records and the store API's values, and the precondition check. */
final class Records {
    private Records() {}

    static Versioned toVersioned(DhtRecord r) {
        return r == null ? null
                : new Versioned(new ObjectKey(CollectionKey.parse(r.collection()), r.name()), r.value(), r.revision(), r.homeSite());
    }

    /** Why {@code precondition} rejects {@code current}, or null when it admits it (same rules as MemoryClusterStore). */
    static StoreException.Reason rejection(Precondition precondition, Versioned current) {
        if (precondition.admits(current)) {
            return null;
        }
        boolean live = current != null && !current.deleted();
        return switch (precondition.kind()) {
            case MUST_NOT_EXIST -> StoreException.Reason.ALREADY_EXISTS;
            case MUST_EXIST -> StoreException.Reason.NOT_FOUND;
            default -> live ? StoreException.Reason.CONFLICT : StoreException.Reason.NOT_FOUND;
        };
    }
}
