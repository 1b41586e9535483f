package io.starling.core.net.netty;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Counters of what a transport refused. Each kind is logged at WARNING the first time and at FINE
 * afterwards, so a peer flooded with garbage does not flood its log.
 */
public final class TransportStats {
    private static final Logger LOG = Logger.getLogger(TransportStats.class.getName());

    public enum Kind {
        /** Frame body that did not decode: garbage, truncated, unregistered class. */
        UNDECODABLE_FRAME,
        /** Frame larger than maxFrameBytes (inbound: skipped; outbound: not sent). */
        OVERSIZE_FRAME,
        /** TLS handshake failed: not TLS, unknown CA, bad certificate. */
        FAILED_HANDSHAKE,
        /** A link without a client certificate sent something other than the allowed join request. */
        UNAUTHENTICATED_MESSAGE,
        /** A response for a request id this link did not send. */
        UNEXPECTED_RESPONSE,
        /** A reply whose claimed hold time exceeds its round trip: answered, but no RTT sample. */
        IMPLAUSIBLE_HOLD_TIME,
        /** A link closed because a request timed out without any reply on it since (presumed dead). */
        SILENT_LINK_CLOSED
    }

    private final AtomicLong[] counts = new AtomicLong[Kind.values().length];
    private final AtomicBoolean[] logged = new AtomicBoolean[Kind.values().length];

    public TransportStats() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new AtomicLong();
            logged[i] = new AtomicBoolean();
        }
    }

    public long count(Kind kind) {
        return counts[kind.ordinal()].get();
    }

    void record(Kind kind, Object where, Throwable cause) {
        counts[kind.ordinal()].incrementAndGet();
        boolean first = logged[kind.ordinal()].compareAndSet(false, true);
        Level level = first ? Level.WARNING : Level.FINE;
        if (LOG.isLoggable(level)) {
            String why = cause == null ? "" : ": " + cause;
            if (why.length() > 200) {
                why = why.substring(0, 200) + "...";
            }
            LOG.log(level, kind + " from " + where + why
                    + (first ? " (further ones are counted and logged at FINE)" : ""));
        }
    }
}
