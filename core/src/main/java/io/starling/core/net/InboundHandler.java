package io.starling.core.net;

import java.util.concurrent.CompletableFuture;

/**
 * Handles what other peers send. Called on the peer's event loop. {@code sender} is the node id
 * the link authenticated (mutual TLS in production, the simulated peer in simulation): protocol code
 * checks that ids claimed inside messages match it.
 */
@FunctionalInterface
public interface InboundHandler {
    /**
     * @return the reply for a request, completed later if needed; {@code null} for one-way messages.
     *     A future completed exceptionally becomes a remote error at the caller.
     */
    CompletableFuture<Message> handle(NodeId sender, PeerAddress senderAddress, Message message);
}
