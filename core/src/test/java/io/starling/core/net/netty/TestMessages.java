package io.starling.core.net.netty;

import io.starling.core.net.Message;
import io.starling.core.net.NodeId;
import io.starling.core.net.WireRegistry;
import java.util.List;
import java.util.Map;

/** Messages used by the transport tests. */
final class TestMessages {
    private TestMessages() {}

    enum Color { RED, GREEN }

    record Ping(String text) implements Message {}

    record Pong(String text, NodeId seenSender) implements Message {}

    record Note(int n) implements Message {}

    record Blob(byte[] data) implements Message {}

    record Rich(NodeId id, List<String> names, Map<String, Long> counts, long[] values, Color color, Ping inner)
            implements Message {}

    /** Registered on the sender only, so receivers see an unregistered class id. */
    record Secret(String text) implements Message {}

    static WireRegistry registry() {
        return new WireRegistry()
                .register(9000, Ping.class)
                .register(9001, Pong.class)
                .register(9002, Note.class)
                .register(9003, Blob.class)
                .register(9004, Rich.class)
                .register(9005, Color.class);
    }
}
