package io.starling.dht.record;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded memo of records whose signature was found valid, by signature. Verifying an equal
 * record again (a replica set, every watcher of a collection, and in the simulator every peer that
 * receives the same immutable record) then costs one record comparison instead of an Ed25519
 * verification. A hit requires a record equal in every field, signer key and signature included,
 * so the answer is exactly what verifying again would give; forged or altered records miss and are
 * verified in full. The oldest entries are dropped beyond {@link #MAX_ENTRIES}.
 */
final class VerifiedSignatures {
    static final int MAX_ENTRIES = 4_096;

    private static final Map<ByteBuffer, DhtRecord> VALID = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, DhtRecord> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    private VerifiedSignatures() {}

    /** True when a record equal to {@code r} was verified before. */
    static boolean known(DhtRecord r) {
        DhtRecord seen;
        synchronized (VALID) {
            seen = VALID.get(ByteBuffer.wrap(r.signature()));
        }
        return seen != null && (seen == r || seen.equals(r));
    }

    static void remember(DhtRecord r) {
        synchronized (VALID) {
            VALID.put(ByteBuffer.wrap(r.signature().clone()), r);
        }
    }
}
