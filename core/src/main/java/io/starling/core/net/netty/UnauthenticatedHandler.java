package io.starling.core.net.netty;

import io.starling.core.net.Message;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * Handles the one request type a link without a client certificate may send (the join request).
 * Called on the peer's event loop; there is no authenticated node id, only the socket address.
 */
@FunctionalInterface
public interface UnauthenticatedHandler {
    CompletableFuture<Message> handle(SocketAddress remote, Message request);
}
