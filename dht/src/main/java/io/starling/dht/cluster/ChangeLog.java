package io.starling.dht.cluster;

import io.starling.dht.record.DhtRecord;
import io.starling.dht.store.WatchEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The bounded, revision-ordered history of one collection at one holder, from which watches are
 * served and resumed. Entries of writes this node accepted as primary stay "pending" until their
 * replication finished, and nothing after a pending entry is visible: a watcher never sees a write
 * that could still vanish with the primary. Invariant: revisions strictly increase; a watch from
 * revision R can resume iff R >= {@link #oldestResumable()}.
 */
final class ChangeLog {
    static final class Entry {
        final WatchEvent.Type type;
        final DhtRecord record;
        final byte[] previous;
        boolean pending;

        Entry(WatchEvent.Type type, DhtRecord record, byte[] previous, boolean pending) {
            this.type = type;
            this.record = record;
            this.previous = previous;
            this.pending = pending;
        }

        long revision() {
            return record.revision();
        }
    }

    private final int maxEntries;
    private final Deque<Entry> entries = new ArrayDeque<>();
    private long oldestResumable;
    private long lastRevision;

    ChangeLog(int maxEntries, long oldestResumable) {
        this.maxEntries = maxEntries;
        this.oldestResumable = oldestResumable;
        this.lastRevision = oldestResumable;
    }

    long oldestResumable() {
        return oldestResumable;
    }

    long lastRevision() {
        return lastRevision;
    }

    /** Appends a change; a change older than the last one means history has a hole before it. */
    Entry append(DhtRecord previous, DhtRecord current, boolean pending) {
        WatchEvent.Type type = current.tombstone() ? WatchEvent.Type.DELETED
                : previous == null || previous.tombstone() ? WatchEvent.Type.ADDED : WatchEvent.Type.MODIFIED;
        byte[] prevValue = previous == null ? null : previous.value();
        if (current.revision() <= lastRevision) {
            // arrived out of order (sync after fail-over): earlier positions are no longer exact
            oldestResumable = Math.max(oldestResumable, lastRevision);
            entries.removeIf(old -> !old.pending);
            return null;
        }
        Entry e = new Entry(type, current, prevValue, pending);
        entries.addLast(e);
        lastRevision = current.revision();
        while (entries.size() > maxEntries && !entries.peekFirst().pending) {
            oldestResumable = entries.removeFirst().revision();
        }
        return e;
    }

    /** The highest revision up to which every change is committed (visible). */
    long committedRevision() {
        long committed = oldestResumable;
        for (Entry e : entries) {
            if (e.pending) {
                return committed;
            }
            committed = e.revision();
        }
        return Math.max(committed, lastRevision);
    }

    /** Committed entries with revision > {@code after}, in order. */
    List<Entry> committedAfter(long after) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.pending) {
                break;
            }
            if (e.revision() > after) {
                out.add(e);
            }
        }
        return out;
    }

    void checkInvariants() {
        long prev = Long.MIN_VALUE;
        for (Entry e : entries) {
            if (e.revision() <= prev || (!e.pending && e.revision() <= oldestResumable)) {
                throw new IllegalStateException("change log out of order");
            }
            prev = e.revision();
        }
        if (entries.size() > maxEntries + pendingCount()) {
            throw new IllegalStateException("change log over its bound");
        }
    }

    private int pendingCount() {
        int n = 0;
        for (Entry e : entries) {
            if (e.pending) {
                n++;
            }
        }
        return n;
    }
}
