package io.starling.core.time;

/**
 * All time a peer sees. Production code never calls System.currentTimeMillis or System.nanoTime
 * directly, so the simulator can run the same classes on virtual time.
 */
public interface Clock {
    /** Wall-clock time in milliseconds since the epoch (used for HLC and Kubernetes timestamps). */
    long wallMillis();

    /** Monotonic time in nanoseconds; only differences are meaningful. */
    long monoNanos();

    default long monoMillis() {
        return monoNanos() / 1_000_000L;
    }
}
