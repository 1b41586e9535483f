package io.starling.gateway.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the API answers: a complete body, a stream (watch, logs) fed through a {@link StreamSink},
 * or an upgrade to WebSocket (exec).
 */
public sealed interface Reply {
    int status();

    String contentType();

    Map<String, String> headers();

    /** A complete response. */
    record Full(int status, String contentType, byte[] body, Map<String, String> headers) implements Reply {
        public Full {
            headers = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(headers));
        }

        public Full withHeader(String name, String value) {
            java.util.TreeMap<String, String> h = new java.util.TreeMap<>(headers);
            h.put(name, value);
            return new Full(status, contentType, body, h);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A chunked response; {@code producer} is called once the headers are written and writes chunks. */
    record Streaming(int status, String contentType, Map<String, String> headers, Consumer<StreamSink> producer)
            implements Reply {
        public Streaming {
            headers = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(headers));
        }
    }

    /**
     * Switch the connection to WebSocket with {@code subprotocol} (pods/exec); once the 101 is
     * written, {@code session} gets the channel, with WebSocket codecs and without the HTTP
     * handlers, and reading paused (the session turns it back on). If the handshake fails instead,
     * {@code abandoned} runs.
     */
    record Upgrade(String subprotocol, int maxFramePayloadBytes, Consumer<io.netty.channel.Channel> session, Runnable abandoned)
            implements Reply {
        @Override
        public int status() {
            return 101;
        }

        @Override
        public String contentType() {
            return "";
        }

        @Override
        public Map<String, String> headers() {
            return Map.of();
        }
    }

    static Full json(int status, byte[] body) {
        return new Full(status, "application/json", body, Map.of());
    }

    static Full text(int status, String body) {
        return new Full(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8), Map.of());
    }
}
