package io.starling.gateway.http;

/**
 * The write end of a streaming response. Thread-safe: chunks are written in call order. After the
 * client disconnects, {@link #send} is ignored and the close callbacks have run.
 */
public interface StreamSink {
    void send(byte[] chunk);

    /** Ends the response (terminal chunk); idempotent. */
    void end();

    /** Runs {@code callback} once when the stream ends for any reason (end() or client gone). */
    void onClose(Runnable callback);

    boolean isOpen();
}
