package io.starling.dht.cluster;

import io.starling.dht.record.DhtRecord;
import io.starling.dht.store.WatchEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
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
    /** Entries appended as pending, oldest first (some may be committed since; see firstPendingRevision). */
    private final Deque<Entry> pendingInOrder = new ArrayDeque<>();
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
        if (pending) {
            pendingInOrder.addLast(e);
        }
        lastRevision = current.revision();
        while (entries.size() > maxEntries && !entries.peekFirst().pending) {
            oldestResumable = entries.removeFirst().revision();
        }
        return e;
    }

    /** The highest revision up to which every change is committed (visible). */
    long committedRevision() {
        long firstPending = firstPendingRevision();
        if (firstPending == Long.MAX_VALUE) {
            return lastRevision;
        }
        Iterator<Entry> newestFirst = entries.descendingIterator();
        while (newestFirst.hasNext()) {
            Entry e = newestFirst.next();
            if (e.revision() < firstPending) {
                return e.revision();
            }
        }
        return oldestResumable;
    }

    /** Committed entries with revision > {@code after}, in order. */
    List<Entry> committedAfter(long after) {
        long firstPending = firstPendingRevision();
        List<Entry> out = new ArrayList<>();
        // newest first (revisions ascend): an up-to-date watcher costs a step or two, not the whole
        // log, and every commit asks this once per watcher
        Iterator<Entry> newestFirst = entries.descendingIterator();
        while (newestFirst.hasNext()) {
            Entry e = newestFirst.next();
            if (e.revision() <= after) {
                break;
            }
            if (e.revision() < firstPending) {
                out.add(e);
            }
        }
        Collections.reverse(out);
        return out;
    }

    /** Revision of the oldest entry still pending (nothing from it on is visible), or MAX_VALUE. */
    private long firstPendingRevision() {
        // entries are marked committed by the primary in any order: drop committed ones from the head
        while (!pendingInOrder.isEmpty() && !pendingInOrder.peekFirst().pending) {
            pendingInOrder.removeFirst();
        }
        return pendingInOrder.isEmpty() ? Long.MAX_VALUE : pendingInOrder.peekFirst().revision();
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
