package io.starling.core.net;

/**
 * A few opaque bytes a transport attaches to every message it sends (requests, responses and
 * one-way messages) and hands back on arrival, so a protocol can ride on existing traffic instead
 * of sending probes of its own (Vivaldi coordinates do; core does not know their format).
 *
 * <p>Contract: both methods run on the transport's event loop; for a response, {@link #incoming}
 * runs before the {@link RttListener}s get that request's RTT sample, so a listener sees the data
 * the responder sent with the very reply it measured. Outgoing data longer than {@link #MAX_BYTES}
 * is not sent and inbound data longer than that is dropped; implementations must treat inbound
 * bytes as untrusted (ignore garbage) and should not throw: the transport logs and ignores
 * exceptions from them.
 */
public interface Piggyback {
    /** Upper bound on the bytes one message carries. */
    int MAX_BYTES = 64;

    /**
     * Bytes to attach to the next message, or null/empty for none. The transport may keep the array
     * until the message is written: return a fresh or never-modified one.
     */
    byte[] outgoing();

    /** Bytes that came with a message from the authenticated peer {@code sender}. */
    void incoming(NodeId sender, byte[] data);

    /** Whether {@code data} is something a transport should carry (non-empty, within {@link #MAX_BYTES}). */
    static boolean carriable(byte[] data) {
        return data != null && data.length > 0 && data.length <= MAX_BYTES;
    }
}
