package io.starling.core.net;

/**
 * Turns a request's round trip into the sample {@link RttListener}s get: the requester's elapsed
 * time minus the hold time the responder reported (how long it kept the request before replying,
 * e.g. while a write replicated across the WAN). What remains is the network's share, which is
 * what Vivaldi coordinates model; both transports use this one rule.
 *
 * <p>The hold comes from the responder's clock and is only a claim. When it exceeds the elapsed
 * time (clocks that disagree, or a peer that lies) the sample is dropped rather than clamped to 0:
 * a zero RTT would pull two coordinates together harder than any real sample. A lying peer can at
 * most make itself look closer, which it could already do by lying about its coordinate.
 */
public final class RttSample {
    /** Returned by {@link #networkMillis} when there is no sample. */
    public static final double NONE = -1;

    private RttSample() {}

    /**
     * The network RTT in milliseconds, >= 0, or {@link #NONE} when {@code holdNanos} exceeds
     * {@code elapsedNanos} or either is negative.
     */
    public static double networkMillis(long elapsedNanos, long holdNanos) {
        if (elapsedNanos < 0 || holdNanos < 0 || holdNanos > elapsedNanos) {
            return NONE;
        }
        return (elapsedNanos - holdNanos) / 1e6;
    }
}
