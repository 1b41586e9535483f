package io.starling.dht.storage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.starling.dht.record.DhtRecord;
import io.starling.dht.record.RecordCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * {@link RecordStorage} on an H2 MVStore map {@code collection NUL name -> encoded record}, sorted,
 * so a collection is one key range. Each put commits before returning, or, after
 * {@link #commitOn}, in a group commit that runs once the tasks already queued on the peer's loop
 * are done (one MVStore chunk for a burst of writes instead of one per write). A Caffeine cache bounded by
 * {@code cacheMaxBytes} (weight = encoded size) keeps hot records decoded; its maintenance runs on
 * the caller's thread so nothing happens behind the event loop's back.
 */
public final class MvRecordStorage implements RecordStorage {
    private static final char SEP = '\u0000';

    private final MVStore store;
    private final MVMap<String, byte[]> records;
    private final Cache<String, DhtRecord> cache;
    /** Where group commits run; {@code null} = commit on every change. */
    private java.util.concurrent.Executor committer;
    private boolean commitQueued;

    private MvRecordStorage(MVStore store, long cacheMaxBytes) {
        this.store = store;
        this.records = store.openMap("records");
        this.cache = Caffeine.newBuilder()
                .executor(Runnable::run)
                .maximumWeight(cacheMaxBytes)
                .weigher((String k, DhtRecord r) -> 96 + k.length() * 2 + (r.value() == null ? 0 : r.value().length))
                .build();
    }

    /** Persistent storage in {@code dataDir}/records.mv.db (created if missing). */
    public static MvRecordStorage open(Path dataDir, long cacheMaxBytes) {
        try {
            Files.createDirectories(dataDir);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot create data dir " + dataDir + ": " + e.getMessage(), e);
        }
        MVStore s = new MVStore.Builder().fileName(dataDir.resolve("records.mv.db").toString())
                .autoCommitDisabled().open();
        return new MvRecordStorage(s, cacheMaxBytes);
    }

    /** Volatile storage for simulation (MVStore without a file). */
    public static MvRecordStorage inMemory(long cacheMaxBytes) {
        return new MvRecordStorage(new MVStore.Builder().autoCommitDisabled().open(), cacheMaxBytes);
    }

    /**
     * Group commit: changes commit in a task handed to {@code loop} (the thread all puts come from),
     * so a burst of writes queued on the loop shares one commit. What is put is readable at once;
     * only the file write is deferred, by at most the tasks queued ahead of the commit.
     */
    public MvRecordStorage commitOn(java.util.concurrent.Executor loop) {
        this.committer = loop;
        return this;
    }

    private void changed() {
        if (committer == null) {
            store.commit();
        } else if (!commitQueued) {
            commitQueued = true;
            committer.execute(() -> {
                commitQueued = false;
                if (!store.isClosed()) {
                    store.commit();
                }
            });
        }
    }

    private static String key(String collection, String name) {
        return collection + SEP + name;
    }

    private static void checkSegment(String s) {
        if (s.indexOf(SEP) >= 0) {
            throw new IllegalArgumentException("NUL not allowed in record keys");
        }
    }

    @Override
    public DhtRecord get(String collection, String name) {
        String k = key(collection, name);
        DhtRecord r = cache.getIfPresent(k);
        if (r != null) {
            return r;
        }
        byte[] raw = records.get(k);
        if (raw == null) {
            return null;
        }
        r = RecordCodec.decode(raw);
        cache.put(k, r);
        return r;
    }

    @Override
    public void put(DhtRecord record) {
        checkSegment(record.collection());
        checkSegment(record.name());
        String k = key(record.collection(), record.name());
        records.put(k, RecordCodec.encode(record));
        changed();
        cache.put(k, record);
    }

    @Override
    public void remove(String collection, String name) {
        String k = key(collection, name);
        if (records.remove(k) != null) {
            changed();
        }
        cache.invalidate(k);
    }

    @Override
    public List<DhtRecord> list(String collection) {
        String from = collection + SEP;
        List<DhtRecord> out = new ArrayList<>();
        Iterator<String> it = records.keyIterator(from);
        while (it.hasNext()) {
            String k = it.next();
            if (!k.startsWith(from)) {
                break;
            }
            DhtRecord r = cache.getIfPresent(k);
            out.add(r != null ? r : RecordCodec.decode(records.get(k)));
        }
        return out;
    }

    @Override
    public List<String> collections() {
        List<String> out = new ArrayList<>();
        String k = records.firstKey();
        while (k != null) {
            String collection = k.substring(0, k.indexOf(SEP));
            out.add(collection);
            k = records.ceilingKey(collection + (char) (SEP + 1));
        }
        return out;
    }

    @Override
    public int size() {
        return records.size();
    }

    /** Approximate bytes the cache holds (for metrics). */
    public long cachedBytes() {
        return cache.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
    }

    @Override
    public void close() {
        if (!store.isClosed()) {
            store.commit();
            store.close();
        }
    }

    boolean hasUncommittedChanges() {
        return store.hasUnsavedChanges();
    }

    Map<String, byte[]> rawMap() {
        return records;
    }
}
