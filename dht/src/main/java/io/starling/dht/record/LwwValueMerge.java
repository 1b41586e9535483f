package io.starling.dht.record;

import java.util.Arrays;
import java.util.List;

/**
 * Whole-record last-writer-wins: the version with the newest stamp (hlc, site) wins, a delete is a
 * write of "absent". For opaque values and soft state (heartbeats with a TTL). Ties (one write seen
 * twice) fall back to a total order on the content, so the result never depends on arrival order.
 */
public final class LwwValueMerge implements ValueMerge {
    public static final LwwValueMerge INSTANCE = new LwwValueMerge();

    @Override
    public FieldClocks clocksForWrite(DhtRecord previous, byte[] value, FieldClocks.Stamp stamp) {
        return FieldClocks.single("", stamp, value == null);
    }

    @Override
    public Merged merge(DhtRecord local, DhtRecord remote) {
        DhtRecord w = winner(local, remote);
        FieldClocks wc = ValueMerge.clocksOf(w);
        boolean changed = local == null || (w != local && !sameContent(w, local));
        return new Merged(w.value(), wc, w.expiresAtMillis(), changed, List.of());
    }

    /** The newer of two versions by (newest stamp, tombstone, value bytes, expiry). */
    public static DhtRecord winner(DhtRecord a, DhtRecord b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        int c = ValueMerge.clocksOf(a).newest().compareTo(ValueMerge.clocksOf(b).newest());
        if (c == 0) {
            c = Boolean.compare(a.tombstone(), b.tombstone());
        }
        if (c == 0 && !a.tombstone()) {
            c = Arrays.compareUnsigned(a.value(), b.value());
        }
        if (c == 0) {
            c = Long.compare(a.expiresAtMillis(), b.expiresAtMillis());
        }
        return c >= 0 ? a : b;
    }

    static boolean sameContent(DhtRecord a, DhtRecord b) {
        return Arrays.equals(a.value(), b.value()) && a.expiresAtMillis() == b.expiresAtMillis()
                && ValueMerge.clocksOf(a).equals(ValueMerge.clocksOf(b));
    }
}
