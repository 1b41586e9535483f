package io.starling.core.identity;

import io.starling.core.net.NodeId;
import io.starling.core.random.RandomSource;
import io.starling.core.random.SecureRandomSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A peer's identity: an Ed25519 key pair and the node id derived from it.
 *
 * <p>Following S/Kademlia (Baumgart and Mies, 2007), the node id is SHA-1 of the public key, and a
 * key is only acceptable when SHA-1 of the node id has at least {@code puzzleBits} leading zero
 * bits (the "static crypto puzzle"). Ids therefore cannot be chosen, and minting many of them
 * costs 2^puzzleBits hash trials each. Every peer checks the puzzle of every contact it learns.
 */
public final class PeerIdentity {
    public static final int PUBLIC_KEY_BYTES = 32;
    public static final int SIGNATURE_BYTES = 64;
    /** Default difficulty: about 256 key generations per identity, milliseconds of work. */
    public static final int DEFAULT_PUZZLE_BITS = 8;
    private static final int MAX_PUZZLE_BITS = 24;

    private final Ed25519PrivateKeyParameters privateKey;
    private final byte[] publicKey;
    private final NodeId nodeId;

    private PeerIdentity(Ed25519PrivateKeyParameters privateKey) {
        this.privateKey = privateKey;
        this.publicKey = privateKey.generatePublicKey().getEncoded();
        this.nodeId = nodeIdOf(publicKey);
    }

    /** A fresh identity from the secure random source, solving the puzzle. */
    public static PeerIdentity generate(int puzzleBits) {
        checkBits(puzzleBits);
        while (true) {
            PeerIdentity id = new PeerIdentity(new Ed25519PrivateKeyParameters(SecureRandomSource.get()));
            if (satisfiesPuzzle(id.publicKey, puzzleBits)) {
                return id;
            }
        }
    }

    /** A deterministic identity for simulation: the same random stream gives the same identity. */
    public static PeerIdentity deterministic(RandomSource random, int puzzleBits) {
        checkBits(puzzleBits);
        byte[] seed = new byte[Ed25519PrivateKeyParameters.KEY_SIZE];
        while (true) {
            random.nextBytes(seed);
            PeerIdentity id = new PeerIdentity(new Ed25519PrivateKeyParameters(seed, 0));
            if (satisfiesPuzzle(id.publicKey, puzzleBits)) {
                return id;
            }
        }
    }

    /** Restores an identity from its 32-byte private key (as stored in a peer's data dir). */
    public static PeerIdentity fromPrivateKey(byte[] privateKeyBytes) {
        if (privateKeyBytes.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
            throw new IllegalArgumentException("Ed25519 private key must be 32 bytes");
        }
        return new PeerIdentity(new Ed25519PrivateKeyParameters(privateKeyBytes, 0));
    }

    public byte[] privateKeyBytes() {
        return privateKey.getEncoded();
    }

    public NodeId nodeId() {
        return nodeId;
    }

    public byte[] publicKey() {
        return publicKey.clone();
    }

    public byte[] sign(byte[] data) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        signer.update(data, 0, data.length);
        return signer.generateSignature();
    }

    /** Verifies an Ed25519 signature; false (never an exception) on malformed keys or signatures. */
    public static boolean verify(byte[] publicKey, byte[] data, byte[] signature) {
        if (publicKey == null || publicKey.length != PUBLIC_KEY_BYTES || signature == null
                || signature.length != SIGNATURE_BYTES || data == null) {
            return false;
        }
        try {
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
            verifier.update(data, 0, data.length);
            return verifier.verifySignature(signature);
        } catch (RuntimeException e) {
            return false;
        }
    }

    public static NodeId nodeIdOf(byte[] publicKey) {
        return NodeId.of(sha1(publicKey));
    }

    /** The S/Kademlia static puzzle: SHA-1(node id) must start with {@code bits} zero bits. */
    public static boolean satisfiesPuzzle(byte[] publicKey, int bits) {
        if (bits == 0) {
            return true;
        }
        return NodeId.of(sha1(sha1(publicKey))).leadingZeroBits() >= bits;
    }

    private static void checkBits(int bits) {
        if (bits < 0 || bits > MAX_PUZZLE_BITS) {
            throw new IllegalArgumentException("puzzle bits must be 0.." + MAX_PUZZLE_BITS);
        }
    }

    static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 missing from the JDK", e);
        }
    }

    @Override
    public String toString() {
        return "PeerIdentity[" + nodeId.shortHex() + "]";
    }
}
