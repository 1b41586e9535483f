package io.starling.core.net;

import java.util.concurrent.CompletableFuture;

/**
 * Message passing between peers. Two implementations: Netty over TCP with mutual TLS (production)
 * and the simulated network (virtual time). Futures complete and handlers run on the owning
 * peer's {@link io.starling.core.exec.EventLoop}.
 */
public interface Transport extends AutoCloseable {
    /** The address other peers reach this one at. */
    PeerAddress localAddress();

    /** This peer's authenticated id. */
    NodeId localId();

    /**
     * Sends a request and waits at most {@code timeoutMillis} for the reply. The future fails with
     * {@link TransportException} on timeout, refusal or a remote error; never blocks the caller.
     */
    CompletableFuture<Message> request(PeerAddress to, Message request, long timeoutMillis);

    /** Sends a one-way message; losses are silent (callers that care use {@link #request}). */
    void send(PeerAddress to, Message message);

    /** Installs the handler for inbound messages (one per transport). */
    void setHandler(InboundHandler handler);

    void addRttListener(RttListener listener);

    /**
     * Installs the piggyback whose bytes ride on every message this transport sends and whose
     * {@link Piggyback#incoming} sees every inbound message's bytes (one per transport; install it
     * before traffic starts). See {@link Piggyback} for ordering and limits.
     */
    void setPiggyback(Piggyback piggyback);

    @Override
    void close();
}
