package io.starling.gateway.kubelet;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Joins an upgraded kubectl exec connection to the node agent that runs the pod: opens a WebSocket
 * to the agent's {@code /exec/{ns}/{pod}/{container}} with the subprotocol the client negotiated,
 * on the client channel's own event loop (so both sides of the relay share one thread), then
 * puts a {@link FrameRelay} on each side. Anything that goes wrong before the relay runs reaches
 * the client as a Failure status on the error channel and a normal close.
 */
public final class AgentExec {
    /** Exec query parameters passed through to the node agent. */
    public static final List<String> FLAGS = List.of("stdin", "stdout", "stderr", "tty");
    /** Largest frame payload relayed (the agent sends at most 32 KiB + 1 per frame). */
    public static final int MAX_FRAME_PAYLOAD_BYTES = 1024 * 1024;
    static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private AgentExec() {}

    /** ws:// URI of the agent's exec endpoint. */
    public static URI agentUri(String host, int port, String namespace, String pod, String container, List<String> command,
                               Map<String, Boolean> flags) {
        return agentUri(false, host, port, namespace, pod, container, command, flags);
    }

    /** ws:// or, when {@code secure}, wss:// URI of the agent's exec endpoint. */
    public static URI agentUri(boolean secure, String host, int port, String namespace, String pod, String container,
                               List<String> command, Map<String, Boolean> flags) {
        StringBuilder uri = new StringBuilder(secure ? "wss://" : "ws://").append(host.contains(":") ? "[" + host + "]" : host).append(':').append(port)
                .append("/exec/").append(enc(namespace)).append('/').append(enc(pod)).append('/').append(enc(container));
        char sep = '?';
        for (String c : command) {
            uri.append(sep).append("command=").append(enc(c));
            sep = '&';
        }
        for (String f : FLAGS) {
            uri.append(sep).append(f).append('=').append(Boolean.TRUE.equals(flags.get(f)));
        }
        return URI.create(uri.toString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Starts the relay for an upgraded client channel (reading paused, WebSocket codecs in place).
     * Call on the client channel's event loop.
     */
    public static void relay(Channel client, URI agent, String subprotocol) {
        relay(client, agent, subprotocol, null);
    }

    /**
     * As {@link #relay(Channel, URI, String)}, over TLS when {@code tls} is given ({@link
     * AgentClientTls#nettyFor}: the handshake is verified before the upgrade request leaves).
     */
    public static void relay(Channel client, URI agent, String subprotocol, SslContext tls) {
        FrameRelay fromClient = new FrameRelay(false);
        client.pipeline().addLast("exec-relay", fromClient);
        WebSocketClientHandshaker hs = WebSocketClientHandshakerFactory.newHandshaker(agent, WebSocketVersion.V13, subprotocol,
                false, new DefaultHttpHeaders(), MAX_FRAME_PAYLOAD_BYTES);
        FrameRelay fromAgent = new FrameRelay(true);
        new Bootstrap().group(client.eventLoop()).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc(), agent.getHost(), agent.getPort()));
                        }
                        ch.pipeline().addLast("http", new HttpClientCodec());
                        ch.pipeline().addLast("aggregate", new HttpObjectAggregator(64 * 1024));
                        ch.pipeline().addLast("handshake", new Handshake(hs, client, fromClient, fromAgent, subprotocol));
                    }
                })
                .connect(agent.getHost(), agent.getPort())
                .addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        fail(client, "cannot reach the node agent at " + agent.getHost() + ":" + agent.getPort() + ": "
                                + f.cause().getMessage());
                    } else {
                        client.closeFuture().addListener(x -> {
                            if (f.channel().pipeline().get("handshake") != null) {
                                f.channel().close();
                            }
                        });
                    }
                });
    }

    /** Reports {@code message} to the client on the error channel and closes it normally. */
    static void fail(Channel client, String message) {
        if (!client.isActive()) {
            return;
        }
        client.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(ExecStatus.failure(message))));
        FrameRelay relay = client.pipeline().get(FrameRelay.class);
        if (relay != null) {
            relay.sendClose();
            client.config().setAutoRead(true); // to see the client's answer to the close
        } else {
            client.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The client half of the agent handshake; replaced by the relay once the agent answered 101. */
    private static final class Handshake extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final WebSocketClientHandshaker hs;
        private final Channel client;
        private final FrameRelay fromClient;
        private final FrameRelay fromAgent;
        private final String subprotocol;
        private boolean done;

        Handshake(WebSocketClientHandshaker hs, Channel client, FrameRelay fromClient, FrameRelay fromAgent, String subprotocol) {
            this.hs = hs;
            this.client = client;
            this.fromClient = fromClient;
            this.fromAgent = fromAgent;
            this.subprotocol = subprotocol;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            hs.handshake(ctx.channel());
            ctx.fireChannelActive();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse res) {
            Channel agent = ctx.channel();
            done = true;
            if (!res.status().equals(HttpResponseStatus.SWITCHING_PROTOCOLS)) {
                String body = res.content().toString(StandardCharsets.UTF_8).trim();
                fail(client, body.isEmpty() ? "the node agent answered " + res.status() : body);
                agent.close();
                return;
            }
            try {
                ctx.pipeline().replace(this, "exec-relay", fromAgent);
                hs.finishHandshake(agent, res);
            } catch (RuntimeException e) {
                fail(client, "the node agent's WebSocket handshake failed: " + e.getMessage());
                agent.close();
                return;
            }
            if (!subprotocol.equals(hs.actualSubprotocol())) {
                fail(client, "the node agent does not speak " + subprotocol);
                agent.close();
                return;
            }
            fromAgent.attach(client);
            fromClient.attach(agent);
            client.config().setAutoRead(true);
        }

        /** A refused TLS handshake (either side) is reported with its cause, before the connection drops. */
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent e && !e.isSuccess() && !done) {
                done = true;
                fail(client, "TLS handshake with the node agent failed: " + KubeletProxy.rootMessage(e.cause()));
                ctx.close();
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (done) {
                return;
            }
            done = true;
            fail(client, "the node agent closed the connection during the WebSocket handshake");
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!done) {
                done = true;
                fail(client, "node agent connection failed: " + KubeletProxy.rootMessage(cause));
            }
            ctx.close();
        }
    }
}
