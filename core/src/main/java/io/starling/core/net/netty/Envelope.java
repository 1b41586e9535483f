package io.starling.core.net.netty;

import io.starling.core.net.Message;
import io.starling.core.net.PeerAddress;
import io.starling.core.net.Piggyback;

/**
 * What one frame carries: a request id for correlation, the kind, the sender's listen address,
 * either a payload message or (for {@link Kind#ERROR}) an error text, and optionally the
 * {@link Piggyback} bytes (at most {@link Piggyback#MAX_BYTES}; null = none). The sender address is
 * a claim used for replies and logs only; identity comes from the TLS certificate of the link.
 * The piggyback array is never modified after construction.
 */
public record Envelope(long requestId, Kind kind, PeerAddress sender, Message payload, String error, byte[] piggyback) {
    public enum Kind { REQUEST, RESPONSE, ONE_WAY, ERROR }

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
    }

    public Envelope(long requestId, Kind kind, PeerAddress sender, Message payload, String error) {
        this(requestId, kind, sender, payload, error, null);
    }

    public static Envelope request(long id, PeerAddress sender, Message payload) {
        return new Envelope(id, Kind.REQUEST, sender, payload, null);
    }

    public static Envelope response(long id, PeerAddress sender, Message payload) {
        return new Envelope(id, Kind.RESPONSE, sender, payload, null);
    }

    public static Envelope oneWay(PeerAddress sender, Message payload) {
        return new Envelope(0, Kind.ONE_WAY, sender, payload, null);
    }

    public static Envelope error(long id, PeerAddress sender, String error) {
        return new Envelope(id, Kind.ERROR, sender, null, error);
    }

    /** This envelope carrying {@code bytes}; bytes that are not {@link Piggyback#carriable} are left off. */
    public Envelope withPiggyback(byte[] bytes) {
        return new Envelope(requestId, kind, sender, payload, error, Piggyback.carriable(bytes) ? bytes : null);
    }
}
