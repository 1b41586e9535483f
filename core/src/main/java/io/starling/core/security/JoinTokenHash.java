package io.starling.core.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The server side of a join token: its id and SHA-256 of its secret. Comparison is constant-time
 * ({@link MessageDigest#isEqual}), so response timing reveals nothing about the secret.
 */
public record JoinTokenHash(String tokenId, byte[] secretSha256) {
    private static final Pattern TEXT = Pattern.compile("[0-9a-f]{8}:[0-9a-f]{64}");

    public JoinTokenHash {
        if (tokenId == null || secretSha256 == null || secretSha256.length != 32) {
            throw new IllegalArgumentException("join token hash needs an id and a 32-byte SHA-256");
        }
        secretSha256 = secretSha256.clone();
    }

    public static JoinTokenHash of(String tokenId, String secret) {
        return new JoinTokenHash(tokenId, Keys.sha256(secret.getBytes(StandardCharsets.UTF_8)));
    }

    public boolean matches(String presentedId, String presentedSecret) {
        if (presentedId == null || presentedSecret == null) {
            return false;
        }
        byte[] presented = Keys.sha256(presentedSecret.getBytes(StandardCharsets.UTF_8));
        boolean secretOk = MessageDigest.isEqual(secretSha256, presented);
        boolean idOk = MessageDigest.isEqual(tokenId.getBytes(StandardCharsets.UTF_8), presentedId.getBytes(StandardCharsets.UTF_8));
        return secretOk & idOk;
    }

    @Override
    public byte[] secretSha256() {
        return secretSha256.clone();
    }

    /** {@code <id>:<sha256 hex>}, as stored in a data dir. */
    public String encode() {
        return tokenId + ":" + HexFormat.of().formatHex(secretSha256);
    }

    public static JoinTokenHash decode(String text) {
        String t = text == null ? "" : text.trim();
        if (!TEXT.matcher(t).matches()) {
            throw new IllegalArgumentException("malformed join token hash: expected <8 hex id>:<64 hex sha256>");
        }
        return new JoinTokenHash(t.substring(0, 8), HexFormat.of().parseHex(t.substring(9)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JoinTokenHash h && h.tokenId.equals(tokenId) && MessageDigest.isEqual(h.secretSha256, secretSha256);
    }

    @Override
    public int hashCode() {
        return tokenId.hashCode();
    }

    @Override
    public String toString() {
        return "JoinTokenHash[" + tokenId + "]";
    }
}
