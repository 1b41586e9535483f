package io.starling.gateway.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Thin adapter from aggregated Netty requests to {@link ApiHandler}: copies the request out of
 * Netty buffers, runs the handler on {@code worker} (never on the event loop), and writes the
 * reply back on the channel's event loop. One request at a time per channel (HTTP/1.1 clients such
 * as kubectl do not pipeline; on HTTP/2 the channel is one stream), so replies cannot overtake each
 * other.
 */
public final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = Logger.getLogger(HttpRequestHandler.class.getName());

    private final ApiHandler api;
    private final Executor worker;
    private final Semaphore inFlight;

    /** @param inFlight shared by all connections of a server: permits = requests processed at once */
    public HttpRequestHandler(ApiHandler api, Executor worker, Semaphore inFlight) {
        this.api = api;
        this.worker = worker;
        this.inFlight = inFlight;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
        boolean keepAlive = HttpUtil.isKeepAlive(msg);
        if (!msg.decoderResult().isSuccess()) {
            writeFull(ctx, api.malformed("malformed HTTP request"), false);
            return;
        }
        ApiRequest request;
        try {
            request = toApiRequest(ctx, msg);
        } catch (IllegalArgumentException e) {
            writeFull(ctx, api.malformed("malformed request URI: " + e.getMessage()), keepAlive);
            return;
        }
        if (!inFlight.tryAcquire()) {
            writeFull(ctx, api.tooManyRequests(), keepAlive);
            return;
        }
        CompletableFuture.supplyAsync(() -> api.handle(request), worker)
                .thenCompose(f -> f)
                .whenComplete((reply, err) -> {
                    inFlight.release();
                    Reply r = reply;
                    if (err != null || r == null) {
                        LOG.log(Level.WARNING, "API handler failed for " + request.method() + " " + request.path(), err);
                        r = Reply.text(500, "internal error");
                    }
                    Reply out = r;
                    ctx.executor().execute(() -> write(ctx, out, keepAlive, request));
                });
    }

    private static ApiRequest toApiRequest(ChannelHandlerContext ctx, FullHttpRequest msg) {
        QueryStringDecoder qs = new QueryStringDecoder(msg.uri());
        Map<String, String> headers = new LinkedHashMap<>();
        msg.headers().forEach(e -> headers.merge(e.getKey(), e.getValue(), (a, b) -> a + "," + b));
        byte[] body = ByteBufUtil.getBytes(msg.content());
        return new ApiRequest(msg.method().name(), qs.path(), qs.parameters(), headers, body, peerCertificates(ctx));
    }

    private static List<X509Certificate> peerCertificates(ChannelHandlerContext ctx) {
        SslHandler ssl = sslHandler(ctx);
        List<X509Certificate> out = new ArrayList<>();
        if (ssl == null) {
            return out;
        }
        try {
            for (Certificate c : ssl.engine().getSession().getPeerCertificates()) {
                if (c instanceof X509Certificate x) {
                    out.add(x);
                }
            }
        } catch (SSLPeerUnverifiedException e) {
            // no client certificate: anonymous at the TLS level
        }
        return out;
    }

    /** The connection's TLS handler; an HTTP/2 stream finds it on its parent (the connection) channel. */
    private static SslHandler sslHandler(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl == null && ctx.channel().parent() != null) {
            ssl = ctx.channel().parent().pipeline().get(SslHandler.class);
        }
        return ssl;
    }

    private void write(ChannelHandlerContext ctx, Reply reply, boolean keepAlive, ApiRequest request) {
        if (reply instanceof Reply.Full full) {
            writeFull(ctx, full, keepAlive);
        } else if (reply instanceof Reply.Streaming s) {
            writeStream(ctx, s);
        } else if (reply instanceof Reply.Upgrade u) {
            upgrade(ctx, u, request);
        }
    }

    /**
     * The WebSocket handshake (Netty's server handshaker swaps the HTTP codec for WebSocket frame
     * codecs and drops the aggregator); this handler then leaves the pipeline to the session.
     */
    private void upgrade(ChannelHandlerContext ctx, Reply.Upgrade u, ApiRequest request) {
        if (ctx.channel() instanceof Http2StreamChannel) {
            // WebSockets over h2 need extended CONNECT (RFC 8441); clients dial exec over HTTP/1.1
            writeFull(ctx, api.malformed("WebSocket upgrade needs HTTP/1.1"), false);
            u.abandoned().run();
            return;
        }
        DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", Unpooled.EMPTY_BUFFER);
        request.headers().forEach((k, v) -> req.headers().set(k, v));
        String scheme = sslHandler(ctx) != null ? "wss://" : "ws://";
        WebSocketServerHandshaker hs = new WebSocketServerHandshakerFactory(scheme + request.header("host") + request.path(),
                u.subprotocol(), false, u.maxFramePayloadBytes()).newHandshaker(req);
        if (hs == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            u.abandoned().run();
            return;
        }
        io.netty.channel.Channel ch = ctx.channel();
        ch.config().setAutoRead(false);
        hs.handshake(ch, req).addListener(f -> {
            if (!f.isSuccess()) {
                LOG.log(Level.FINE, "WebSocket handshake failed", f.cause());
                ch.close();
                u.abandoned().run();
                return;
            }
            ch.pipeline().remove(this);
            try {
                u.session().accept(ch);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "WebSocket session failed to start", e);
                ch.close();
            }
        });
    }

    static void writeFull(ChannelHandlerContext ctx, Reply.Full reply, boolean keepAlive) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(reply.body()));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
        reply.headers().forEach((k, v) -> res.headers().add(k, v));
        HttpUtil.setContentLength(res, reply.body().length);
        if (keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(res);
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Streams are not reused for another request: the connection closes when the stream ends. */
    private static void writeStream(ChannelHandlerContext ctx, Reply.Streaming reply) {
        HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(reply.status()));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
        reply.headers().forEach((k, v) -> res.headers().add(k, v));
        HttpUtil.setTransferEncodingChunked(res, true);
        ctx.writeAndFlush(res);
        ChannelSink sink = new ChannelSink(ctx);
        ctx.channel().closeFuture().addListener(f -> sink.closed());
        try {
            reply.producer().accept(sink);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "stream producer failed", e);
            sink.end();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.FINE, "connection error", cause);
        ctx.close();
    }

    private static final class ChannelSink implements StreamSink {
        private final ChannelHandlerContext ctx;
        private final AtomicBoolean open = new AtomicBoolean(true);
        private final List<Runnable> onClose = new ArrayList<>();

        ChannelSink(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void send(byte[] chunk) {
            if (open.get() && chunk.length > 0) {
                ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk)));
            }
        }

        @Override
        public void end() {
            if (open.get()) {
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
            }
            closed();
        }

        void closed() {
            if (!open.getAndSet(false)) {
                return;
            }
            List<Runnable> callbacks;
            synchronized (onClose) {
                callbacks = List.copyOf(onClose);
                onClose.clear();
            }
            for (Runnable r : callbacks) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "stream close callback failed", e);
                }
            }
        }

        @Override
        public void onClose(Runnable callback) {
            synchronized (onClose) {
                if (open.get()) {
                    onClose.add(callback);
                    return;
                }
            }
            callback.run();
        }

        @Override
        public boolean isOpen() {
            return open.get() && ctx.channel().isActive();
        }
    }
}
