package io.starling.dht.store;

/**
 * Why a store operation failed. The gateway maps each reason to a Kubernetes Status code:
 * CONFLICT -> 409 (stale resourceVersion), ALREADY_EXISTS -> 409, NOT_FOUND -> 404,
 * GONE -> 410 (watch revision compacted), UNAVAILABLE -> 503, INVALID -> 400.
 */
public class StoreException extends RuntimeException {
    public enum Reason { CONFLICT, ALREADY_EXISTS, NOT_FOUND, GONE, UNAVAILABLE, INVALID }

    private final Reason reason;
    private final Versioned current;

    public StoreException(Reason reason, String message) {
        this(reason, message, null);
    }

    public StoreException(Reason reason, String message, Versioned current) {
        super(message, null, false, false);
        this.reason = reason;
        this.current = current;
    }

    public Reason reason() {
        return reason;
    }

    /** The record that made a precondition fail, when known. */
    public Versioned current() {
        return current;
    }
}
