package io.starling.core.net.netty;

/** A frame that cannot be decoded (garbage, truncated, unregistered class) or a message that cannot be encoded. */
public final class CodecException extends RuntimeException {
    public CodecException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
