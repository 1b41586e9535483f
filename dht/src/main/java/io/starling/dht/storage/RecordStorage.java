package io.starling.dht.storage;

import io.starling.dht.record.DhtRecord;
import java.util.List;

/**
 * Where a holder keeps its records. Storage is dumb (last put wins); merging versions is the
 * caller's job (io.starling.dht.record.RecordMerge). Single-threaded: owned by one event loop.
 */
public interface RecordStorage extends AutoCloseable {
    /** The stored version (tombstones included), or null. */
    DhtRecord get(String collection, String name);

    /** Stores durably before returning (the write is acknowledged after this). */
    void put(DhtRecord record);

    void remove(String collection, String name);

    /** Every record of a collection, tombstones included, ordered by name. */
    List<DhtRecord> list(String collection);

    /** Every collection with at least one record, in path order. */
    List<String> collections();

    int size();

    @Override
    void close();
}
