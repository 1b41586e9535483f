package io.starling.runtime.backend;

/** A runtime operation failed; the message is shown to users in pod status and Events. */
public class BackendException extends RuntimeException {
    public BackendException(String message) {
        super(message);
    }

    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
