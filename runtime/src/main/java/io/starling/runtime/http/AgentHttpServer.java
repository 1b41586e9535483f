package io.starling.runtime.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.starling.core.time.Clock;
import io.starling.runtime.exec.RemoteCommand;
import io.starling.runtime.logs.CriLogReader;
import io.starling.runtime.logs.LogOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The agent's HTTP API on one Netty event-loop thread: request decoding, aggregation (requests
 * are small GETs, capped at {@link #MAX_REQUEST_BYTES}), then one handler. Log reads are small
 * file reads done on that thread; follow mode polls the file every {@code followPollMillis} with
 * the channel's executor and streams new lines as HTTP chunks until the container stops or the
 * client goes away. {@code /exec/} upgrades to a WebSocket and runs an {@link ExecSession}
 * (kubectl exec, forwarded by the gateway).
 *
 * <p>With a TLS context ({@link AgentTls#server}, what peers always run) every request needs a
 * CA-issued client certificate and is answered 403 unless {@link AgentCallers} accepts its
 * caller (super-peers only). Without one the API is plain, unauthenticated HTTP: only for tests
 * that run an agent in-process.
 */
public final class AgentHttpServer implements AutoCloseable {
    static final int MAX_REQUEST_BYTES = 64 * 1024;
    /** Bytes read from a log file per follow poll. */
    static final int FOLLOW_READ_BYTES = 256 * 1024;

    private final AgentView view;
    private final Clock clock;
    private final long followPollMillis;
    /** Concurrent kubectl exec sessions (each uses up to four threads while it runs). */
    static final int MAX_EXEC_SESSIONS = 16;
    /** Largest WebSocket message an exec client may send (stdin chunks are far smaller). */
    static final int MAX_EXEC_MESSAGE_BYTES = 1024 * 1024;

    private final EventLoopGroup group;
    private final Channel channel;
    private final Semaphore execSessions = new Semaphore(MAX_EXEC_SESSIONS);
    private final ExecutorService execThreads;
    private final SslContext tls;

    /** Plain HTTP without authentication: for in-process tests only. */
    public AgentHttpServer(String bindHost, int port, AgentView view, Clock clock, long followPollMillis) throws InterruptedException {
        this(bindHost, port, view, clock, followPollMillis, null);
    }

    /**
     * @param tls server context requiring client certificates ({@link AgentTls#server}); {@code null} =
     *     plain HTTP without authentication (in-process tests)
     */
    public AgentHttpServer(String bindHost, int port, AgentView view, Clock clock, long followPollMillis, SslContext tls)
            throws InterruptedException {
        this.tls = tls;
        this.view = view;
        this.clock = clock;
        this.followPollMillis = followPollMillis;
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        AtomicInteger n = new AtomicInteger();
        this.execThreads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "starling-agent-exec-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            this.channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (tls != null) {
                                ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                            }
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_REQUEST_BYTES), new Handler());
                        }
                    }).bind(bindHost, port).sync().channel();
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            execThreads.shutdownNow();
            throw e;
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            Optional<String> refused = refusal(ctx);
            if (refused.isPresent()) {
                respond(ctx, req, HttpResponseStatus.FORBIDDEN, "text/plain", "forbidden: " + refused.get() + "\n");
                return;
            }
            if (!req.method().equals(HttpMethod.GET)) {
                respond(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain", "only GET is served\n");
                return;
            }
            QueryStringDecoder q = new QueryStringDecoder(req.uri());
            String path = q.path();
            if (path.equals("/healthz")) {
                respond(ctx, req, HttpResponseStatus.OK, "text/plain", "ok");
            } else if (path.equals("/pods") || path.equals("/pods/")) {
                boolean keepAlive = HttpUtil.isKeepAlive(req);
                view.podsJson().whenComplete((json, err) -> ctx.executor().execute(() -> {
                    if (err != null) {
                        send(ctx, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE, "text/plain", err.getMessage().getBytes(StandardCharsets.UTF_8));
                    } else {
                        send(ctx, keepAlive, HttpResponseStatus.OK, "application/json", json);
                    }
                }));
            } else if (path.startsWith("/containerLogs/")) {
                logs(ctx, req, q);
            } else if (path.startsWith("/exec/")) {
                exec(ctx, req, q, this);
            } else {
                respond(ctx, req, HttpResponseStatus.NOT_FOUND, "text/plain", "not found: " + path + "\n");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Why the caller on this connection may not use the API (TLS mode), or empty. */
    private Optional<String> refusal(ChannelHandlerContext ctx) {
        if (tls == null) {
            return Optional.empty();
        }
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        try {
            return AgentCallers.refusal(ssl == null ? null : ssl.engine().getSession().getPeerCertificates());
        } catch (SSLPeerUnverifiedException e) {
            return AgentCallers.refusal(null);
        }
    }

    /**
     * {@code GET /exec/{ns}/{pod}/{container}?command=..&stdin=&stdout=&stderr=&tty=} with a
     * WebSocket upgrade (remote-command v5 or v4). Request errors are HTTP answers before the
     * upgrade; failures of the command itself go on the error channel after it.
     */
    private void exec(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder q, Handler handler) {
        String[] parts = q.path().substring("/exec/".length()).split("/");
        List<String> command = q.parameters().getOrDefault("command", List.of());
        if (parts.length != 3 || command.isEmpty()) {
            respond(ctx, req, HttpResponseStatus.BAD_REQUEST, "text/plain",
                    "expected /exec/{namespace}/{pod}/{container}?command=...\n");
            return;
        }
        if (!"websocket".equalsIgnoreCase(req.headers().get(HttpHeaderNames.UPGRADE, ""))) {
            respond(ctx, req, HttpResponseStatus.BAD_REQUEST, "text/plain", "exec needs a WebSocket upgrade (subprotocol "
                    + String.join(" or ", RemoteCommand.PROTOCOLS) + ")\n");
            return;
        }
        String offered = req.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, "");
        if (java.util.Arrays.stream(offered.split(",")).map(String::trim).noneMatch(RemoteCommand.PROTOCOLS::contains)) {
            respond(ctx, req, HttpResponseStatus.BAD_REQUEST, "text/plain", "none of the offered subprotocols [" + offered
                    + "] is supported; use " + String.join(" or ", RemoteCommand.PROTOCOLS) + "\n");
            return;
        }
        Optional<String> id = view.runningContainer(parts[0], parts[1], parts[2]);
        if (id.isEmpty()) {
            respond(ctx, req, HttpResponseStatus.NOT_FOUND, "text/plain", "container " + parts[2] + " of pod " + parts[0] + "/"
                    + parts[1] + " is not running on this node\n");
            return;
        }
        if (!execSessions.tryAcquire()) {
            respond(ctx, req, HttpResponseStatus.TOO_MANY_REQUESTS, "text/plain", "too many exec sessions on this node (limit "
                    + MAX_EXEC_SESSIONS + ")\n");
            return;
        }
        ExecSession.Options o = new ExecSession.Options(boolParam(q, "stdin"), boolParam(q, "stdout"), boolParam(q, "stderr"),
                boolParam(q, "tty"));
        String cid = id.get();
        ExecSession session = new ExecSession(o, () -> view.startExec(cid, command, o.stdin(), o.tty()), execThreads,
                execSessions::release);
        WebSocketServerHandshaker hs = new WebSocketServerHandshakerFactory("ws://agent" + req.uri(),
                String.join(",", RemoteCommand.PROTOCOLS), false, MAX_EXEC_MESSAGE_BYTES).newHandshaker(req);
        if (hs == null) {
            execSessions.release();
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        Channel ch = ctx.channel();
        ctx.pipeline().replace(handler, "exec", session);
        hs.handshake(ch, req).addListener(f -> {
            if (f.isSuccess()) {
                ch.pipeline().addBefore("exec", "ws-aggregate", new WebSocketFrameAggregator(MAX_EXEC_MESSAGE_BYTES));
                session.start(ch, hs.selectedSubprotocol());
            } else {
                execSessions.release();
                ch.close();
            }
        });
    }

    private void logs(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder q) {
        String[] parts = q.path().substring("/containerLogs/".length()).split("/");
        if (parts.length < 2 || parts.length > 3) {
            respond(ctx, req, HttpResponseStatus.BAD_REQUEST, "text/plain", "expected /containerLogs/{namespace}/{pod}/{container}\n");
            return;
        }
        LogOptions opts;
        try {
            opts = new LogOptions(intParam(q, "tailLines", -1), longParam(q, "sinceSeconds", 0), boolParam(q, "timestamps"),
                    boolParam(q, "follow"), boolParam(q, "previous"), longParam(q, "limitBytes", 0));
        } catch (NumberFormatException e) {
            respond(ctx, req, HttpResponseStatus.BAD_REQUEST, "text/plain", "bad query parameter: " + e.getMessage() + "\n");
            return;
        }
        Optional<AgentView.LogTarget> target = view.logTarget(parts[0], parts[1], parts.length == 3 ? parts[2] : null, opts.previous());
        if (target.isEmpty()) {
            respond(ctx, req, HttpResponseStatus.NOT_FOUND, "text/plain", "container " + (parts.length == 3 ? parts[2] : "")
                    + " of pod " + parts[0] + "/" + parts[1] + " not found on this node"
                    + (opts.previous() ? " (no previous terminated instance)" : "") + "\n");
            return;
        }
        CriLogReader.Chunk first;
        try {
            first = CriLogReader.read(target.get().file(), opts, Instant.ofEpochMilli(clock.wallMillis()));
        } catch (IOException e) {
            respond(ctx, req, HttpResponseStatus.INTERNAL_SERVER_ERROR, "text/plain", "cannot read log: " + e.getMessage() + "\n");
            return;
        }
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        HttpUtil.setTransferEncodingChunked(head, true);
        ctx.write(head);
        Budget budget = new Budget(opts.limitBytes());
        writeLines(ctx, first.lines(), opts, budget);
        if (!opts.follow() || budget.exhausted()) {
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.flush();
        follow(ctx, target.get(), first.nextOffset(), opts, budget);
    }

    private void follow(ChannelHandlerContext ctx, AgentView.LogTarget target, long offset, LogOptions opts, Budget budget) {
        ctx.executor().schedule(() -> {
            if (!ctx.channel().isActive()) {
                return;
            }
            boolean running = target.running().getAsBoolean();
            CriLogReader.Chunk next;
            try {
                next = CriLogReader.readFrom(target.file(), offset, FOLLOW_READ_BYTES);
            } catch (IOException e) {
                next = new CriLogReader.Chunk(List.of(), offset);
                running = false;
            }
            writeLines(ctx, next.lines(), opts, budget);
            boolean more = next.nextOffset() > offset;
            if ((!running && !more) || budget.exhausted()) {
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.flush();
            follow(ctx, target, next.nextOffset(), opts, budget);
        }, followPollMillis, TimeUnit.MILLISECONDS);
    }

    /** Remaining bytes of a limitBytes request (unlimited when 0). */
    private static final class Budget {
        long remaining;
        final boolean limited;

        Budget(long limit) {
            limited = limit > 0;
            remaining = limit;
        }

        boolean exhausted() {
            return limited && remaining <= 0;
        }
    }

    private static void writeLines(ChannelHandlerContext ctx, List<CriLogReader.Line> lines, LogOptions opts, Budget budget) {
        if (lines.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (CriLogReader.Line l : lines) {
            sb.append(l.render(opts.timestamps()));
        }
        byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
        int n = b.length;
        if (budget.limited) {
            n = (int) Math.min(n, budget.remaining);
            budget.remaining -= n;
        }
        if (n > 0) {
            ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(b, 0, n)));
        }
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String type, String body) {
        send(ctx, HttpUtil.isKeepAlive(req), status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, String type, byte[] body) {
        ByteBuf buf = Unpooled.wrappedBuffer(body);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, buf);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        if (keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(r);
        } else {
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static int intParam(QueryStringDecoder q, String name, int dflt) {
        List<String> v = q.parameters().get(name);
        return v == null || v.isEmpty() ? dflt : Integer.parseInt(v.get(0));
    }

    private static long longParam(QueryStringDecoder q, String name, long dflt) {
        List<String> v = q.parameters().get(name);
        return v == null || v.isEmpty() ? dflt : Long.parseLong(v.get(0));
    }

    private static boolean boolParam(QueryStringDecoder q, String name) {
        List<String> v = q.parameters().get(name);
        return v != null && !v.isEmpty() && ("true".equalsIgnoreCase(v.get(0)) || "1".equals(v.get(0)));
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        execThreads.shutdownNow();
    }
}
