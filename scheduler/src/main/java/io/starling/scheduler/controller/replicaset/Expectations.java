package io.starling.scheduler.controller.replicaset;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Creates and deletes a ReplicaSet has issued but not yet seen in its pod cache. Until they show
 * up (or time out) the controller does not create or delete again, so a lagging cache never makes
 * it create twice. Deletions are tracked by pod key, creations by count (names are random).
 * Lookups only; never iterated for decisions.
 */
final class Expectations {
    private final long timeoutMillis;
    private final Map<String, Entry> entries = new HashMap<>();

    private static final class Entry {
        int creates;
        final Set<String> deletes = new TreeSet<>();
        long sinceMillis;
    }

    Expectations(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    void expect(String rsKey, int creates, Set<String> deletes, long nowMillis) {
        Entry e = new Entry();
        e.creates = creates;
        e.deletes.addAll(deletes);
        e.sinceMillis = nowMillis;
        entries.put(rsKey, e);
    }

    void creationObserved(String rsKey) {
        Entry e = entries.get(rsKey);
        if (e != null) {
            e.creates--;
        }
    }

    void deletionObserved(String rsKey, String podKey) {
        Entry e = entries.get(rsKey);
        if (e != null) {
            e.deletes.remove(podKey);
        }
    }

    /** Milliseconds until the pending expectations time out, 0 when satisfied. */
    long pendingMillis(String rsKey, long nowMillis) {
        Entry e = entries.get(rsKey);
        if (e == null || (e.creates <= 0 && e.deletes.isEmpty())) {
            return 0;
        }
        long left = e.sinceMillis + timeoutMillis - nowMillis;
        return Math.max(0, left);
    }

    void forget(String rsKey) {
        entries.remove(rsKey);
    }
}
