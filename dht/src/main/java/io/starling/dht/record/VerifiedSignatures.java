package io.starling.dht.record;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded memo of record signatures already found valid: signature -> SHA-256 of (signer key,
 * signed bytes). Verifying the same signed record again (a replica set, every watcher of a
 * collection, and in the simulator every peer that receives the same immutable record) then costs
 * one hash instead of an Ed25519 verification. A hit requires the same signature over the same key
 * and bytes, so the answer is exactly what verifying again would give; forged or altered records
 * miss and are verified in full. The oldest entries are dropped beyond {@link #MAX_ENTRIES}.
 */
final class VerifiedSignatures {
    static final int MAX_ENTRIES = 16_384;

    private static final Map<ByteBuffer, byte[]> VALID = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, byte[]> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    private VerifiedSignatures() {}

    /** True when this exact (key, data, signature) was verified before. */
    static boolean known(byte[] signerKey, byte[] data, byte[] signature) {
        byte[] digest;
        synchronized (VALID) {
            digest = VALID.get(ByteBuffer.wrap(signature));
        }
        return digest != null && Arrays.equals(digest, digest(signerKey, data));
    }

    static void remember(byte[] signerKey, byte[] data, byte[] signature) {
        byte[] d = digest(signerKey, data);
        synchronized (VALID) {
            VALID.put(ByteBuffer.wrap(signature.clone()), d);
        }
    }

    private static byte[] digest(byte[] signerKey, byte[] data) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(signerKey);
            md.update(data);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
