package io.starling.dht.storage;

import io.starling.dht.record.DhtRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Volatile {@link RecordStorage} in sorted maps: for large simulations, where thousands of peers
 * each holding an (in-memory) MVStore would cost more memory than the protocol under study.
 * Production and persistence tests use {@link MvRecordStorage}.
 */
public final class MemoryRecordStorage implements RecordStorage {
    private final Map<String, TreeMap<String, DhtRecord>> collections = new TreeMap<>();
    private int size;

    @Override
    public DhtRecord get(String collection, String name) {
        TreeMap<String, DhtRecord> c = collections.get(collection);
        return c == null ? null : c.get(name);
    }

    @Override
    public void put(DhtRecord record) {
        if (collections.computeIfAbsent(record.collection(), k -> new TreeMap<>()).put(record.name(), record) == null) {
            size++;
        }
    }

    @Override
    public void remove(String collection, String name) {
        TreeMap<String, DhtRecord> c = collections.get(collection);
        if (c != null && c.remove(name) != null) {
            size--;
            if (c.isEmpty()) {
                collections.remove(collection);
            }
        }
    }

    @Override
    public List<DhtRecord> list(String collection) {
        TreeMap<String, DhtRecord> c = collections.get(collection);
        return c == null ? List.of() : new ArrayList<>(c.values());
    }

    @Override
    public List<String> collections() {
        return new ArrayList<>(collections.keySet());
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void close() {}
}
