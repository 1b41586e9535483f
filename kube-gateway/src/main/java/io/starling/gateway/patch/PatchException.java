package io.starling.gateway.patch;

/** A patch or body that cannot be applied; {@code code} is the HTTP status the API answers with. */
public class PatchException extends RuntimeException {
    private final int code;
    private final String reason;

    public PatchException(int code, String reason, String message) {
        super(message, null, false, false);
        this.code = code;
        this.reason = reason;
    }

    /** HTTP status: 400 BadRequest, 409 Conflict, 415 UnsupportedMediaType, 422 Invalid. */
    public int code() {
        return code;
    }

    /** Kubernetes Status reason, e.g. "BadRequest", "Conflict", "Invalid", "UnsupportedMediaType". */
    public String reason() {
        return reason;
    }
}
