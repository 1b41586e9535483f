package io.starling.cli.peer;

import io.starling.core.net.InboundHandler;
import io.starling.core.net.Message;
import io.starling.core.net.NodeId;
import io.starling.core.net.PeerAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Dispatches inbound messages to the first handler that takes them (a handler returns null for
 * messages that are not its own). Edge peers use it, having no DHT node to route for them.
 */
final class MessageRouter implements InboundHandler {
    // services add handlers while the transport already delivers
    private final List<InboundHandler> handlers = new CopyOnWriteArrayList<>();

    MessageRouter add(InboundHandler h) {
        handlers.add(h);
        return this;
    }

    @Override
    public CompletableFuture<Message> handle(NodeId sender, PeerAddress from, Message message) {
        for (InboundHandler h : handlers) {
            CompletableFuture<Message> r = h.handle(sender, from, message);
            if (r != null) {
                return r;
            }
        }
        return null;
    }
}
