package io.starling.runtime.agent;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** A remote-command WebSocket client for tests (the JDK's WebSocket): collects the channels until the close. */
final class ExecClient {
    /** What came back: output per channel, the error-channel Status (JSON), the close code; or the HTTP refusal. */
    record Result(String stdout, String stderr, String status, int closeCode, int httpStatus, String httpBody) {}

    private ExecClient() {}

    static URI uri(int port, String ns, String pod, String container, List<String> command, boolean stdin, boolean tty) {
        StringBuilder b = new StringBuilder("ws://127.0.0.1:" + port + "/exec/" + ns + "/" + pod + "/" + container + "?");
        for (String c : command) {
            b.append("command=").append(URLEncoder.encode(c, StandardCharsets.UTF_8)).append('&');
        }
        return URI.create(b + "stdin=" + stdin + "&stdout=true&stderr=" + !tty + "&tty=" + tty);
    }

    /**
     * @param stdin sent on channel 0 after the open (null = nothing)
     * @param closeStdin send the v5 close signal for stdin after it
     */
    static Result run(URI uri, String protocol, String stdin, boolean closeStdin) throws Exception {
        ByteArrayOutputStream[] channels = {new ByteArrayOutputStream(), new ByteArrayOutputStream(), new ByteArrayOutputStream(),
            new ByteArrayOutputStream()};
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final ByteArrayOutputStream message = new ByteArrayOutputStream();

            @Override
            public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                message.writeBytes(b);
                if (last) {
                    byte[] m = message.toByteArray();
                    message.reset();
                    if (m.length > 0 && m[0] < channels.length) {
                        channels[m[0]].write(m, 1, m.length - 1);
                    }
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                closed.complete(-1); // e.g. the server closed TCP while our close answer was on its way
            }
        };
        WebSocket ws;
        try {
            ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).subprotocols(protocol)
                    .buildAsync(uri, listener).get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                Object body = h.getResponse().body();
                return new Result("", "", "", -1, h.getResponse().statusCode(), body == null ? "" : body.toString());
            }
            throw e;
        }
        try {
            if (stdin != null) {
                byte[] data = stdin.getBytes(StandardCharsets.UTF_8);
                byte[] frame = new byte[data.length + 1];
                System.arraycopy(data, 0, frame, 1, data.length);
                ws.sendBinary(ByteBuffer.wrap(frame), true).get(5, TimeUnit.SECONDS);
            }
            if (closeStdin) {
                ws.sendBinary(ByteBuffer.wrap(new byte[] {(byte) 255, 0}), true).get(5, TimeUnit.SECONDS);
            }
        } catch (java.util.concurrent.ExecutionException e) {
            // the server ended the session first (e.g. it refused stdin): what it said is in the result
        }
        int code = closed.get(30, TimeUnit.SECONDS);
        ws.abort();
        return new Result(channels[1].toString(StandardCharsets.UTF_8), channels[2].toString(StandardCharsets.UTF_8),
                channels[3].toString(StandardCharsets.UTF_8), code, 101, "");
    }
}
