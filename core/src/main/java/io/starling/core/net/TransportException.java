package io.starling.core.net;

/** A request that got no answer: timeout, refused connection, closed link, or a remote error. */
public class TransportException extends RuntimeException {
    public enum Kind { TIMEOUT, UNREACHABLE, CLOSED, REMOTE_ERROR, REJECTED }

    private final Kind kind;

    public TransportException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
