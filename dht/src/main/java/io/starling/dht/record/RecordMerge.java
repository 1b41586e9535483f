package io.starling.dht.record;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Deterministic merge of two versions of one record: the greater under a total order wins. The
 * order is (revision, writer id, tombstone over value, expiry, value bytes, signer key, signature),
 * so every replica picks the same winner whatever order versions arrive in: merge is commutative,
 * associative and idempotent (max over a total order). A tombstone at revision R beats every write
 * with a revision below R, so a stale replica can never undo a delete; and because revisions are
 * assigned by the collection's primary from its hybrid logical clock, a write that follows a delete
 * gets a larger revision and legitimately re-creates the object.
 */
public final class RecordMerge {
    public static final Comparator<DhtRecord> ORDER = (a, b) -> {
        int c = Long.compare(a.revision(), b.revision());
        if (c != 0) {
            return c;
        }
        c = a.writer().compareTo(b.writer());
        if (c != 0) {
            return c;
        }
        c = Boolean.compare(a.tombstone(), b.tombstone());
        if (c != 0) {
            return c;
        }
        c = Long.compare(a.expiresAtMillis(), b.expiresAtMillis());
        if (c != 0) {
            return c;
        }
        c = compareBytes(a.value(), b.value());
        if (c != 0) {
            return c;
        }
        c = a.homeSite().compareTo(b.homeSite());
        if (c != 0) {
            return c;
        }
        c = compareBytes(a.signerKey(), b.signerKey());
        if (c != 0) {
            return c;
        }
        c = compareBytes(a.clocks(), b.clocks());
        return c != 0 ? c : compareBytes(a.signature(), b.signature());
    };

    private RecordMerge() {}

    /** The winning version; either argument may be null (absent). */
    public static DhtRecord merge(DhtRecord a, DhtRecord b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        if (!a.collection().equals(b.collection()) || !a.name().equals(b.name())) {
            throw new IllegalArgumentException("merging versions of different records: " + a + " / " + b);
        }
        return ORDER.compare(a, b) >= 0 ? a : b;
    }

    /** True when {@code candidate} would replace {@code current} (strictly newer). */
    public static boolean supersedes(DhtRecord candidate, DhtRecord current) {
        return current == null || ORDER.compare(candidate, current) > 0;
    }

    private static int compareBytes(byte[] a, byte[] b) {
        if (a == b) {
            return 0;
        }
        if (a == null) {
            return -1;
        }
        if (b == null) {
            return 1;
        }
        return Arrays.compareUnsigned(a, b);
    }
}
