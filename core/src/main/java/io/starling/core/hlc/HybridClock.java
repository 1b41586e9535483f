package io.starling.core.hlc;

import io.starling.core.time.Clock;

/**
 * Hybrid logical clock (Kulkarni et al., "Logical Physical Clocks", 2014). A timestamp packs
 * wall milliseconds in the high 48 bits and a logical counter in the low 16, so timestamps are
 * plain longs that order like (millis, counter), stay close to real time, and never go backwards
 * even when the wall clock does. Peers fold every timestamp they receive into their own with
 * {@link #observe}, so a write that causally follows another always gets a larger timestamp.
 * Not thread-safe: owned by one event loop.
 */
public final class HybridClock {
    public static final int LOGICAL_BITS = 16;
    private static final long LOGICAL_MASK = (1L << LOGICAL_BITS) - 1;

    private final Clock clock;
    private long last;

    public HybridClock(Clock clock) {
        this.clock = clock;
    }

    /** A fresh timestamp, greater than every one issued or observed before. */
    public long next() {
        long physical = clock.wallMillis() << LOGICAL_BITS;
        if (physical > last) {
            last = physical;
        } else {
            if ((last & LOGICAL_MASK) == LOGICAL_MASK) {
                // counter exhausted within one millisecond: borrow the next millisecond
                last = ((last >>> LOGICAL_BITS) + 1) << LOGICAL_BITS;
            } else {
                last++;
            }
        }
        return last;
    }

    /** Folds a received timestamp in, so the next local one is larger. */
    public void observe(long remote) {
        if (remote > last) {
            last = remote;
        }
    }

    /** The largest timestamp issued or observed so far (0 before any). */
    public long current() {
        return last;
    }

    public static long millisOf(long timestamp) {
        return timestamp >>> LOGICAL_BITS;
    }

    public static long counterOf(long timestamp) {
        return timestamp & LOGICAL_MASK;
    }
}
