package io.starling.core.security;

import io.starling.core.identity.PeerIdentity;
import io.starling.core.net.NodeId;
import io.starling.core.random.SecureRandomSource;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;

/**
 * Key conversions. Peer identity keys are raw 32-byte Ed25519 keys (io.starling.core.identity);
 * TLS and X.509 need them as JDK keys, whose encodings are built here. Other keys (CA, API server,
 * kubeconfig users) are ECDSA P-256, which every TLS stack, Go's included, accepts.
 */
public final class Keys {
    private Keys() {}

    public static KeyPair newEcP256() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), SecureRandomSource.get());
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ECDSA P-256 is missing from the JDK", e);
        }
    }

    /** The identity's private key as a JDK (SunEC) Ed25519 key, usable by JSSE. */
    public static PrivateKey ed25519Private(PeerIdentity identity) {
        return privateKeyFromPkcs8(Der.ed25519Pkcs8(identity.privateKeyBytes()));
    }

    public static PublicKey ed25519Public(byte[] raw) {
        if (raw == null || raw.length != PeerIdentity.PUBLIC_KEY_BYTES) {
            throw new IllegalArgumentException("Ed25519 public key must be 32 bytes");
        }
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Der.ed25519Spki(raw)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("bad Ed25519 public key", e);
        }
    }

    /** The raw 32-byte Ed25519 key inside a JDK public key, or an exception for any other key type. */
    public static byte[] ed25519Raw(PublicKey key) {
        try {
            return Der.ed25519FromSpki(key.getEncoded());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an Ed25519 key: " + key.getAlgorithm(), e);
        }
    }

    /** Restores the peer identity from a PKCS#8 Ed25519 private key. */
    public static PeerIdentity identityFrom(PrivateKey key) {
        return PeerIdentity.fromPrivateKey(Der.ed25519FromPkcs8(key.getEncoded()));
    }

    static PrivateKey privateKeyFromPkcs8(byte[] pkcs8) {
        try {
            return Pem.generate(pkcs8);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("malformed private key: " + e.getMessage(), e);
        }
    }

    /** SHA-256 of the DER SubjectPublicKeyInfo: what a join token pins (like kubeadm's CA hash). */
    public static byte[] publicKeyHash(PublicKey key) {
        return sha256(key.getEncoded());
    }

    public static NodeId nodeIdOf(PublicKey ed25519) {
        return PeerIdentity.nodeIdOf(ed25519Raw(ed25519));
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
