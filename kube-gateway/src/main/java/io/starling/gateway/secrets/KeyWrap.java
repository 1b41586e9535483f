package io.starling.gateway.secrets;

import io.starling.core.random.SecureRandomSource;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;

/**
 * ECIES-style wrapping of a 256-bit scope key for one super-peer: a fresh ephemeral X25519 key,
 * HKDF-SHA256 of the shared secret (salt = ephemeral public || recipient public, info names the
 * purpose), AES-256-GCM of the scope key. The AAD binds the key id and the recipient's node id, so
 * a wrap cannot be replayed as another key or for another peer.
 *
 * <p>Format: {@code 0x01 || ephemeral public (32) || nonce (12) || ciphertext+tag (48)}.
 */
public final class KeyWrap {
    public static final int SCOPE_KEY_BYTES = 32;
    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int WRAPPED_BYTES = 1 + AgreementKey.KEY_BYTES + NONCE_BYTES + SCOPE_KEY_BYTES + TAG_BITS / 8;
    private static final byte[] INFO = "starling/scope-key-wrap/v1".getBytes(StandardCharsets.UTF_8);

    private KeyWrap() {}

    /** A new random scope key. */
    public static byte[] newScopeKey() {
        return SecureRandomSource.bytes(SCOPE_KEY_BYTES);
    }

    public static byte[] wrap(byte[] scopeKey, byte[] recipientPublic, String keyId, String recipientNodeHex) {
        if (scopeKey.length != SCOPE_KEY_BYTES) {
            throw new IllegalArgumentException("a scope key is " + SCOPE_KEY_BYTES + " bytes");
        }
        X25519PrivateKeyParameters eph = new X25519PrivateKeyParameters(SecureRandomSource.get());
        byte[] ephPublic = eph.generatePublicKey().getEncoded();
        byte[] kek = kek(AgreementKey.agree(eph, recipientPublic), ephPublic, recipientPublic);
        byte[] nonce = SecureRandomSource.bytes(NONCE_BYTES);
        byte[] ct = gcm(Cipher.ENCRYPT_MODE, kek, nonce, aad(keyId, recipientNodeHex), scopeKey);
        byte[] out = new byte[WRAPPED_BYTES];
        out[0] = VERSION;
        System.arraycopy(ephPublic, 0, out, 1, AgreementKey.KEY_BYTES);
        System.arraycopy(nonce, 0, out, 1 + AgreementKey.KEY_BYTES, NONCE_BYTES);
        System.arraycopy(ct, 0, out, 1 + AgreementKey.KEY_BYTES + NONCE_BYTES, ct.length);
        return out;
    }

    /** The scope key, or {@link SealException} when the wrap is not for this key/peer or was altered. */
    public static byte[] unwrap(byte[] wrapped, AgreementKey recipient, String keyId, String recipientNodeHex) {
        if (wrapped == null || wrapped.length != WRAPPED_BYTES || wrapped[0] != VERSION) {
            throw new SealException("wrapped scope key " + keyId + " has an unknown format");
        }
        byte[] ephPublic = Arrays.copyOfRange(wrapped, 1, 1 + AgreementKey.KEY_BYTES);
        byte[] nonce = Arrays.copyOfRange(wrapped, 1 + AgreementKey.KEY_BYTES, 1 + AgreementKey.KEY_BYTES + NONCE_BYTES);
        byte[] ct = Arrays.copyOfRange(wrapped, 1 + AgreementKey.KEY_BYTES + NONCE_BYTES, wrapped.length);
        byte[] kek = kek(recipient.agree(ephPublic), ephPublic, recipient.publicKey());
        try {
            return gcm(Cipher.DECRYPT_MODE, kek, nonce, aad(keyId, recipientNodeHex), ct);
        } catch (SealException e) {
            throw new SealException("wrapped scope key " + keyId + " does not open with this super-peer's key "
                    + "(wrapped for another peer, or altered)");
        }
    }

    private static byte[] aad(String keyId, String recipientNodeHex) {
        return ("starling/scope-key/" + keyId + "/" + recipientNodeHex).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] kek(byte[] shared, byte[] ephPublic, byte[] recipientPublic) {
        byte[] salt = new byte[ephPublic.length + recipientPublic.length];
        System.arraycopy(ephPublic, 0, salt, 0, ephPublic.length);
        System.arraycopy(recipientPublic, 0, salt, ephPublic.length, recipientPublic.length);
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(shared, salt, INFO));
        byte[] out = new byte[SCOPE_KEY_BYTES];
        hkdf.generateBytes(out, 0, out.length);
        return out;
    }

    /** AES-256-GCM with a 128-bit tag; a failed tag check is a {@link SealException}. */
    static byte[] gcm(int mode, byte[] key, byte[] nonce, byte[] aad, byte[] input) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad);
            return c.doFinal(input);
        } catch (AEADBadTagException e) {
            throw new SealException("authentication failed");
        } catch (GeneralSecurityException e) {
            throw new SealException("AES-GCM failed: " + e.getMessage());
        }
    }
}
