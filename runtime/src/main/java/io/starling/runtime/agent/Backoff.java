package io.starling.runtime.agent;

/**
 * Restart delay of a failed container: {@code initial * 2^restarts}, capped at {@code max} (the
 * kubelet's 10 s doubling to 5 min). A container that ran longer than {@code resetAfterMillis}
 * before failing starts over at {@code initial}. Pure.
 */
record Backoff(long initialMillis, long maxMillis, long resetAfterMillis) {
    long delayMillis(int restartCount, long ranForMillis) {
        if (ranForMillis >= resetAfterMillis) {
            return initialMillis;
        }
        long d = initialMillis;
        for (int i = 0; i < restartCount && d < maxMillis; i++) {
            d *= 2;
        }
        return Math.min(d, maxMillis);
    }
}
