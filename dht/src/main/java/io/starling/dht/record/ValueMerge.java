package io.starling.dht.record;

import java.util.List;

/**
 * How records of one object written in different sites are merged. Implementations must be
 * deterministic and form a join: merge(a, b) has the same content as merge(b, a), merging is
 * associative, and merging a version with itself changes nothing; so every site converges to the
 * same object whatever order versions arrive in. The DHT stays generic: {@link LwwValueMerge} treats
 * values as opaque bytes; {@code io.starling.dht.kube.KubeValueMerge} merges Kubernetes JSON per field.
 */
public interface ValueMerge {
    /**
     * Clocks of a local write of {@code value} (null = delete) over {@code previous} (null when the
     * object never existed here), written at {@code stamp}.
     */
    FieldClocks clocksForWrite(DhtRecord previous, byte[] value, FieldClocks.Stamp stamp);

    /**
     * Merges {@code remote} (another site's version, verified) into {@code local} (this site's
     * version, may be null). The result's content (value, clocks, expiry) does not depend on which
     * side is local; {@code changed} says whether it differs from {@code local}.
     */
    Merged merge(DhtRecord local, DhtRecord remote);

    /**
     * A merge result. {@code value} null = tombstone; {@code conflicts}: concurrent writes to the same
     * field that lost.
     */
    record Merged(byte[] value, FieldClocks clocks, long expiresAtMillis, boolean changed, List<MergeConflict> conflicts) {
        public Merged {
            conflicts = List.copyOf(conflicts);
        }
    }

    /** Clocks of a record written before clocks existed: everything stamped (revision, home site). */
    static FieldClocks legacyClocks(DhtRecord r) {
        FieldClocks.Stamp s = new FieldClocks.Stamp(r.revision(), r.homeSite());
        return FieldClocks.single("", s, r.tombstone());
    }

    /** The record's clocks, or its legacy clocks when it has none. */
    static FieldClocks clocksOf(DhtRecord r) {
        FieldClocks c = r.fieldClocks();
        return c != null ? c : legacyClocks(r);
    }
}
