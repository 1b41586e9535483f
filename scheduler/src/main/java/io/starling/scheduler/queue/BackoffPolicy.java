package io.starling.scheduler.queue;

/**
 * Per-key exponential back-off: the n-th consecutive failure of a key waits
 * {@code baseDelayMillis * 2^(n-1)}, capped at {@code maxDelayMillis}. The defaults are client-go's
 * (5 ms .. 1000 s).
 */
public record BackoffPolicy(long baseDelayMillis, long maxDelayMillis) {
    public static final BackoffPolicy DEFAULT = new BackoffPolicy(5, 1_000_000);

    public BackoffPolicy {
        if (baseDelayMillis <= 0 || maxDelayMillis < baseDelayMillis) {
            throw new IllegalArgumentException("need 0 < baseDelayMillis <= maxDelayMillis");
        }
    }

    /** Delay before retry number {@code failures} (1 = first retry). */
    public long delayMillis(int failures) {
        if (failures <= 0) {
            return 0;
        }
        int shift = Math.min(failures - 1, 62);
        long d = baseDelayMillis << shift;
        return d <= 0 || (d >> shift) != baseDelayMillis ? maxDelayMillis : Math.min(d, maxDelayMillis);
    }
}
