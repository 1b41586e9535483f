package io.starling.dht.testkit;

import io.starling.core.identity.PeerIdentity;
import io.starling.core.net.NodeId;
import io.starling.dht.record.DhtRecord;
import io.starling.dht.record.RecordSignatures;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Simulation-only record "signatures": a 128-bit keyed digest of every signed field, keyed by the
 * signer's public key. Deterministic, about a hundred times cheaper than Ed25519, and checked the
 * same way (signer key must hash to the writer; any changed field breaks the digest), so simulated
 * super-peers keep running the production verify-on-store/read path. It proves nothing against an
 * adversary: never use it outside a simulation.
 */
public final class DigestRecordSignatures implements RecordSignatures {
    public static final DigestRecordSignatures INSTANCE = new DigestRecordSignatures();
    static final int SIGNATURE_BYTES = 16;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final int MAX_SIGNERS = 100_000;
    private final Map<ByteBuffer, NodeId> writers = new ConcurrentHashMap<>();
    /**
     * Records found valid, direct-mapped by identity. Only the cost of a verify depends on it (a
     * miss recomputes the digest), never its answer, so identity hashes cannot change a run.
     */
    private static final int VERIFIED_SLOTS = 1 << 17;
    private final DhtRecord[] verified = new DhtRecord[VERIFIED_SLOTS];

    private DigestRecordSignatures() {}

    @Override
    public DhtRecord sign(DhtRecord u, PeerIdentity signer) {
        if (!signer.nodeId().equals(u.writer())) {
            throw new IllegalArgumentException("only the writer signs its record");
        }
        byte[] key = signer.publicKey();
        DhtRecord signed = new DhtRecord(u.collection(), u.name(), u.value(), u.revision(), u.writer(), u.homeSite(),
                u.expiresAtMillis(), key, digest(u, key), u.clocks());
        verified[System.identityHashCode(signed) & (VERIFIED_SLOTS - 1)] = signed;
        return signed;
    }

    @Override
    public boolean verify(DhtRecord r) {
        byte[] key = r.signerKey();
        byte[] sig = r.signature();
        if (key == null || sig == null || key.length != PeerIdentity.PUBLIC_KEY_BYTES || sig.length != SIGNATURE_BYTES) {
            return false;
        }
        int slot = System.identityHashCode(r) & (VERIFIED_SLOTS - 1);
        if (verified[slot] == r) {
            return true; // this very (immutable) object checked out before: stored copies are read again and again
        }
        boolean ok = writerOf(key).equals(r.writer()) && java.util.Arrays.equals(sig, digest(r, key));
        if (ok) {
            verified[slot] = r;
        }
        return ok;
    }

    /** SHA-1 of the key, memoized: a cluster has few signers and every verify needs it. */
    private NodeId writerOf(byte[] key) {
        ByteBuffer k = ByteBuffer.wrap(key);
        NodeId id = writers.get(k);
        if (id == null) {
            if (writers.size() > MAX_SIGNERS) {
                writers.clear();
            }
            id = PeerIdentity.nodeIdOf(key);
            writers.put(ByteBuffer.wrap(key.clone()), id);
        }
        return id;
    }

    private static byte[] digest(DhtRecord r, byte[] key) {
        long a = 0x9E3779B97F4A7C15L;
        long b = 0xC2B2AE3D27D4EB4FL;
        long[] h = {a, b};
        mix(h, key);
        mix(h, r.collection().getBytes(StandardCharsets.UTF_8));
        mix(h, r.name().getBytes(StandardCharsets.UTF_8));
        mix(h, r.value());
        mixLong(h, r.revision());
        mix(h, r.writer().toBytes());
        mix(h, r.homeSite().getBytes(StandardCharsets.UTF_8));
        mixLong(h, r.expiresAtMillis());
        mix(h, r.clocks());
        byte[] out = new byte[SIGNATURE_BYTES];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (h[0] >>> (8 * i));
            out[8 + i] = (byte) (h[1] >>> (8 * i));
        }
        return out;
    }

    private static void mix(long[] h, byte[] bytes) {
        if (bytes == null) {
            mixLong(h, -1);
            return;
        }
        mixLong(h, bytes.length);
        long x = h[0];
        long y = h[1];
        int i = 0;
        for (; i + 8 <= bytes.length; i += 8) { // eight bytes a step: verify runs on every stored read
            long v = (long) LONGS.get(bytes, i);
            x = Long.rotateLeft(x ^ v, 29) * 0x100000001B3L;
            y = (y + v) * 0xD6E8FEB86659FD93L;
        }
        for (; i < bytes.length; i++) {
            x = (x ^ (bytes[i] & 0xff)) * 0x100000001B3L;
            y = (y + (bytes[i] & 0xff)) * 0xD6E8FEB86659FD93L;
        }
        h[0] = x;
        h[1] = y ^ (y >>> 29);
    }

    private static void mixLong(long[] h, long v) {
        h[0] = (h[0] ^ v) * 0xBF58476D1CE4E5B9L;
        h[0] ^= h[0] >>> 31;
        h[1] = (h[1] + v) * 0x94D049BB133111EBL;
        h[1] ^= h[1] >>> 27;
    }

    @Override
    public String toString() {
        return "digest (simulation only)";
    }
}
