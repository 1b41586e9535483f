package io.starling.core.join;

/** A failed join, with a one-line message fit for the CLI ("join refused: invalid token"). */
public final class JoinException extends RuntimeException {
    public JoinException(String message) {
        super(message, null, false, false);
    }
}
