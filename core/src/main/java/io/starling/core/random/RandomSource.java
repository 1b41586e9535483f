package io.starling.core.random;

/**
 * All non-cryptographic randomness of a peer. One seeded source per peer, derived from the run
 * seed, so a simulation with one seed gives one result. Cryptographic keys and nonces never come
 * from here: see {@link SecureRandomSource}.
 */
public interface RandomSource {
    long nextLong();

    int nextInt(int bound);

    double nextDouble();

    default boolean nextBoolean() {
        return (nextLong() & 1L) == 1L;
    }

    default void nextBytes(byte[] out) {
        for (int i = 0; i < out.length; i += 8) {
            long v = nextLong();
            for (int j = 0; j < 8 && i + j < out.length; j++) {
                out[i + j] = (byte) (v >>> (8 * j));
            }
        }
    }

    /** A child source for a named component; the same name always gives the same stream. */
    RandomSource derive(String name);
}
