package io.starling.core.security;

import io.starling.core.random.SecureRandomSource;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * What {@code starling init} prints and {@code starling peer --token} takes, in the spirit of
 * kubeadm's bootstrap tokens: {@code stk1.<id>.<secret>.<ca-hash>}. The id names the token, the
 * secret (128 bits) proves the holder may join, and the ca-hash (SHA-256 of the CA certificate's
 * public key) lets the joining peer detect a man in the middle before it sends the secret's proof.
 * Servers keep only {@link JoinTokenHash}.
 */
public record JoinToken(String tokenId, String secret, String caHashHex) {
    public static final String PREFIX = "stk1";
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}");
    private static final Pattern SECRET = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final String FORMAT = "expected stk1.<8 hex id>.<32 hex secret>.<64 hex CA hash>";

    public JoinToken {
        if (tokenId == null || !ID.matcher(tokenId).matches() || secret == null || !SECRET.matcher(secret).matches()
                || caHashHex == null || !HASH.matcher(caHashHex).matches()) {
            throw new IllegalArgumentException("malformed join token: " + FORMAT);
        }
    }

    /** A fresh token for the CA whose public-key hash is {@code caPublicKeyHash}. */
    public static JoinToken generate(byte[] caPublicKeyHash) {
        HexFormat hex = HexFormat.of();
        return new JoinToken(hex.formatHex(SecureRandomSource.bytes(4)), hex.formatHex(SecureRandomSource.bytes(16)),
                hex.formatHex(caPublicKeyHash));
    }

    /** Parses the printed form; one-line message on malformed input (never echoes the secret). */
    public static JoinToken parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("join token is missing");
        }
        String[] parts = text.trim().split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals(PREFIX)) {
            throw new IllegalArgumentException("malformed join token: " + FORMAT);
        }
        return new JoinToken(parts[1].toLowerCase(java.util.Locale.ROOT), parts[2].toLowerCase(java.util.Locale.ROOT),
                parts[3].toLowerCase(java.util.Locale.ROOT));
    }

    public byte[] caHash() {
        return HexFormat.of().parseHex(caHashHex);
    }

    public JoinTokenHash hash() {
        return JoinTokenHash.of(tokenId, secret);
    }

    /** The printable token. */
    public String print() {
        return PREFIX + "." + tokenId + "." + secret + "." + caHashHex;
    }

    /** Never prints the secret (logs, exceptions). */
    @Override
    public String toString() {
        return "JoinToken[" + tokenId + "]";
    }
}
