package io.starling.core.security;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/** PEM text (RFC 7468) for certificates and PKCS#8 private keys, as kubectl and openssl read them. */
public final class Pem {
    public static final String CERTIFICATE = "CERTIFICATE";
    public static final String PRIVATE_KEY = "PRIVATE KEY";

    private Pem() {}

    public record Block(String type, byte[] der) {}

    public static String encode(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    public static String certificate(X509Certificate cert) {
        try {
            return encode(CERTIFICATE, cert.getEncoded());
        } catch (CertificateException e) {
            throw new IllegalStateException("certificate cannot be encoded", e);
        }
    }

    public static String privateKey(PrivateKey key) {
        return encode(PRIVATE_KEY, key.getEncoded());
    }

    /** All PEM blocks in {@code text}, in order; a clear message on malformed input. */
    public static List<Block> decode(String text) {
        List<Block> blocks = new ArrayList<>();
        int pos = 0;
        while (true) {
            int begin = text.indexOf("-----BEGIN ", pos);
            if (begin < 0) {
                break;
            }
            int typeEnd = text.indexOf("-----", begin + 11);
            if (typeEnd < 0) {
                throw new IllegalArgumentException("malformed PEM: unterminated BEGIN line");
            }
            String type = text.substring(begin + 11, typeEnd);
            String endMarker = "-----END " + type + "-----";
            int end = text.indexOf(endMarker, typeEnd);
            if (end < 0) {
                throw new IllegalArgumentException("malformed PEM: no END line for " + type);
            }
            String body = text.substring(typeEnd + 5, end).replaceAll("\\s", "");
            try {
                blocks.add(new Block(type, Base64.getDecoder().decode(body)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("malformed PEM: bad base64 in " + type);
            }
            pos = end + endMarker.length();
        }
        return blocks;
    }

    public static List<X509Certificate> certificates(String text) {
        List<X509Certificate> certs = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Block b : decode(text)) {
                if (b.type().equals(CERTIFICATE)) {
                    certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
                }
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException("malformed certificate: " + e.getMessage(), e);
        }
        return certs;
    }

    public static X509Certificate certificate(String text) {
        List<X509Certificate> certs = certificates(text);
        if (certs.isEmpty()) {
            throw new IllegalArgumentException("no CERTIFICATE block found");
        }
        return certs.get(0);
    }

    /** The first PKCS#8 private key (EC or Ed25519) in {@code text}. */
    public static PrivateKey privateKey(String text) {
        for (Block b : decode(text)) {
            if (b.type().equals(PRIVATE_KEY)) {
                return Keys.privateKeyFromPkcs8(b.der());
            }
        }
        throw new IllegalArgumentException("no PRIVATE KEY block found");
    }

    static String algorithmOf(byte[] pkcs8) {
        byte[] oid = Der.pkcs8AlgorithmOid(pkcs8);
        if (Arrays.equals(oid, Der.ED25519_OID)) {
            return "Ed25519";
        }
        if (Arrays.equals(oid, Der.EC_OID)) {
            return "EC";
        }
        throw new IllegalArgumentException("unsupported private key algorithm");
    }

    static PrivateKey generate(byte[] pkcs8) throws java.security.GeneralSecurityException {
        return KeyFactory.getInstance(algorithmOf(pkcs8)).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    }
}
