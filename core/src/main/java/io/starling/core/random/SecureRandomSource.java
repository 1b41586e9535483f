package io.starling.core.random;

import java.security.SecureRandom;

/** The one place cryptographic randomness comes from (keys, tokens, nonces). */
public final class SecureRandomSource {
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecureRandomSource() {}

    public static SecureRandom get() {
        return RANDOM;
    }

    public static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
