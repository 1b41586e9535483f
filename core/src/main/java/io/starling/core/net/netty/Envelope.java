package io.starling.core.net.netty;

import io.starling.core.net.Message;
import io.starling.core.net.PeerAddress;
import io.starling.core.net.Piggyback;

/**
 * What one frame carries: a request id for correlation, the kind, the sender's listen address,
 * either a payload message or (for {@link Kind#ERROR}) an error text, optionally the
 * {@link Piggyback} bytes (at most {@link Piggyback#MAX_BYTES}; null = none) and, on a reply
 * ({@link Kind#RESPONSE} or {@link Kind#ERROR}), {@code holdMicros}: how long the answering peer
 * held the request, from its transport receiving it to the reply leaving, on its own monotonic
 * clock. The requester subtracts it so RTT samples measure the network, not the handler. Requests
 * and one-way messages carry 0. The sender address is a claim used for replies and logs only;
 * identity comes from the TLS certificate of the link. The piggyback array is never modified after
 * construction.
 */
public record Envelope(long requestId, Kind kind, PeerAddress sender, Message payload, String error, byte[] piggyback,
                       long holdMicros) {
    public enum Kind {
        REQUEST, RESPONSE, ONE_WAY, ERROR;

        /** Whether envelopes of this kind answer a request (and so carry a hold time). */
        public boolean isReply() {
            return this == RESPONSE || this == ERROR;
        }
    }

    public Envelope {
        if (kind == null) {
            throw new IllegalArgumentException("envelope needs a kind");
        }
        if (kind == Kind.ERROR ? error == null : payload == null) {
            throw new IllegalArgumentException(kind == Kind.ERROR ? "error envelope needs a text" : "envelope needs a payload");
        }
        if (piggyback != null && !Piggyback.carriable(piggyback)) {
            throw new IllegalArgumentException("piggyback must be 1.." + Piggyback.MAX_BYTES + " bytes, got " + piggyback.length);
        }
        if (holdMicros < 0 || (holdMicros != 0 && !kind.isReply())) {
            throw new IllegalArgumentException("hold time must be >= 0 and only on replies, got " + holdMicros + " on " + kind);
        }
    }

    public static Envelope request(long id, PeerAddress sender, Message payload) {
        return new Envelope(id, Kind.REQUEST, sender, payload, null, null, 0);
    }

    /** A reply to request {@code id} that the answering peer held for {@code holdMicros}. */
    public static Envelope response(long id, PeerAddress sender, Message payload, long holdMicros) {
        return new Envelope(id, Kind.RESPONSE, sender, payload, null, null, holdMicros);
    }

    public static Envelope oneWay(PeerAddress sender, Message payload) {
        return new Envelope(0, Kind.ONE_WAY, sender, payload, null, null, 0);
    }

    /** An error reply to request {@code id} that the answering peer held for {@code holdMicros}. */
    public static Envelope error(long id, PeerAddress sender, String error, long holdMicros) {
        return new Envelope(id, Kind.ERROR, sender, null, error, null, holdMicros);
    }

    /** This envelope carrying {@code bytes}; bytes that are not {@link Piggyback#carriable} are left off. */
    public Envelope withPiggyback(byte[] bytes) {
        return new Envelope(requestId, kind, sender, payload, error, Piggyback.carriable(bytes) ? bytes : null, holdMicros);
    }
}
