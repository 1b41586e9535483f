package io.starling.core.security;

import java.util.Arrays;

/**
 * The few DER structures key handling needs (RFC 8410 Ed25519 keys, the algorithm of a PKCS#8
 * key), read and written directly: peers then load no ASN.1 library at start-up (BouncyCastle's
 * ASN.1 classes come from a large signed jar that is slow to open on a small device).
 * Input is untrusted: every length is checked, and malformed input is an IllegalArgumentException.
 */
final class Der {
    private static final int SEQUENCE = 0x30;
    private static final int INTEGER = 0x02;
    private static final int OCTET_STRING = 0x04;
    private static final int BIT_STRING = 0x03;
    private static final int OID = 0x06;
    /** 1.3.101.112 (id-Ed25519) and 1.2.840.10045.2.1 (id-ecPublicKey), content bytes. */
    static final byte[] ED25519_OID = {0x2b, 0x65, 0x70};
    static final byte[] EC_OID = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    private static final int ED25519_KEY_BYTES = 32;
    /** SEQUENCE { INTEGER 0, SEQUENCE { OID id-Ed25519 }, OCTET STRING { OCTET STRING (32 bytes) } }. */
    private static final byte[] PKCS8_PREFIX = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70,
            0x04, 0x22, 0x04, 0x20};
    /** SEQUENCE { SEQUENCE { OID id-Ed25519 }, BIT STRING (0 unused bits, 32 bytes) }. */
    private static final byte[] SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private final byte[] in;
    private int pos;
    private final int end;

    private Der(byte[] in, int pos, int end) {
        this.in = in;
        this.pos = pos;
        this.end = end;
    }

    static byte[] ed25519Pkcs8(byte[] seed) {
        return concat(PKCS8_PREFIX, checkKey(seed));
    }

    static byte[] ed25519Spki(byte[] raw) {
        return concat(SPKI_PREFIX, checkKey(raw));
    }

    /** The raw key of an Ed25519 SubjectPublicKeyInfo; IllegalArgumentException for any other key. */
    static byte[] ed25519FromSpki(byte[] spki) {
        Der outer = new Der(spki, 0, spki.length).enter(SEQUENCE);
        Der alg = outer.enter(SEQUENCE);
        if (!Arrays.equals(alg.read(OID), ED25519_OID)) {
            throw new IllegalArgumentException("not an Ed25519 key");
        }
        byte[] bits = outer.read(BIT_STRING);
        if (bits.length != ED25519_KEY_BYTES + 1 || bits[0] != 0) {
            throw new IllegalArgumentException("malformed Ed25519 public key");
        }
        return Arrays.copyOfRange(bits, 1, bits.length);
    }

    /** The 32-byte seed of an Ed25519 PKCS#8 private key; IllegalArgumentException for any other key. */
    static byte[] ed25519FromPkcs8(byte[] pkcs8) {
        Der outer = new Der(pkcs8, 0, pkcs8.length).enter(SEQUENCE);
        outer.read(INTEGER);
        if (!Arrays.equals(outer.enter(SEQUENCE).read(OID), ED25519_OID)) {
            throw new IllegalArgumentException("identity key is not Ed25519");
        }
        byte[] wrapped = outer.read(OCTET_STRING);
        return checkKey(new Der(wrapped, 0, wrapped.length).read(OCTET_STRING));
    }

    /** The algorithm OID (content bytes) of a PKCS#8 private key. */
    static byte[] pkcs8AlgorithmOid(byte[] pkcs8) {
        Der outer = new Der(pkcs8, 0, pkcs8.length).enter(SEQUENCE);
        outer.read(INTEGER);
        return outer.enter(SEQUENCE).read(OID);
    }

    private static byte[] checkKey(byte[] key) {
        if (key == null || key.length != ED25519_KEY_BYTES) {
            throw new IllegalArgumentException("Ed25519 keys are 32 bytes");
        }
        return key;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Reads the next element's header; returns the content length and leaves pos at the content. */
    private int header(int tag) {
        if (pos + 2 > end || (in[pos] & 0xff) != tag) {
            throw new IllegalArgumentException("malformed DER: expected tag 0x" + Integer.toHexString(tag));
        }
        pos++;
        int len = in[pos++] & 0xff;
        if (len >= 0x80) {
            int n = len & 0x7f;
            if (n == 0 || n > 3 || pos + n > end) {
                throw new IllegalArgumentException("malformed DER length");
            }
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (in[pos++] & 0xff);
            }
        }
        if (len > end - pos) {
            throw new IllegalArgumentException("malformed DER: element longer than its input");
        }
        return len;
    }

    private byte[] read(int tag) {
        int len = header(tag);
        byte[] out = Arrays.copyOfRange(in, pos, pos + len);
        pos += len;
        return out;
    }

    private Der enter(int tag) {
        int len = header(tag);
        Der inner = new Der(in, pos, pos + len);
        pos += len;
        return inner;
    }
}
