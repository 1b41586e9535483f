package io.starling.core.security;

import io.starling.core.identity.PeerIdentity;
import io.starling.core.net.NodeId;
import io.starling.core.random.SecureRandomSource;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

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
        try {
            PrivateKeyInfo info = new PrivateKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519),
                    new DEROctetString(identity.privateKeyBytes()));
            return privateKeyFromPkcs8(info.getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode Ed25519 key", e);
        }
    }

    public static PublicKey ed25519Public(byte[] raw) {
        if (raw == null || raw.length != PeerIdentity.PUBLIC_KEY_BYTES) {
            throw new IllegalArgumentException("Ed25519 public key must be 32 bytes");
        }
        try {
            byte[] spki = new SubjectPublicKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), raw).getEncoded();
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("bad Ed25519 public key", e);
        }
    }

    /** The raw 32-byte Ed25519 key inside a JDK public key, or an exception for any other key type. */
    public static byte[] ed25519Raw(PublicKey key) {
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(key.getEncoded());
        if (!spki.getAlgorithm().getAlgorithm().equals(EdECObjectIdentifiers.id_Ed25519)) {
            throw new IllegalArgumentException("not an Ed25519 key: " + key.getAlgorithm());
        }
        return spki.getPublicKeyData().getBytes();
    }

    /** Restores the peer identity from a PKCS#8 Ed25519 private key. */
    public static PeerIdentity identityFrom(PrivateKey key) {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        if (!info.getPrivateKeyAlgorithm().getAlgorithm().equals(EdECObjectIdentifiers.id_Ed25519)) {
            throw new IllegalArgumentException("identity key is not Ed25519");
        }
        try {
            return PeerIdentity.fromPrivateKey(ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets());
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed Ed25519 private key", e);
        }
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
