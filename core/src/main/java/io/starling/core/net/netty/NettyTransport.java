package io.starling.core.net.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.starling.core.exec.Cancellable;
import io.starling.core.exec.EventLoop;
import io.starling.core.net.InboundHandler;
import io.starling.core.net.Message;
import io.starling.core.net.NodeId;
import io.starling.core.net.PeerAddress;
import io.starling.core.net.Piggyback;
import io.starling.core.net.RttListener;
import io.starling.core.net.RttSample;
import io.starling.core.net.Transport;
import io.starling.core.net.TransportException;
import io.starling.core.net.WireRegistry;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link Transport} over TCP with mutual TLS (Netty).
 *
 * <p>Implementation notes. Netty threads only frame, decode and authenticate; everything else runs
 * on the peer's {@link EventLoop}: the link table, the correlation map, timeouts, handler calls and
 * future completions, so this class needs no locks and futures complete where the protocol runs.
 * Outbound links are opened lazily, one per remote listen address, reused for every message to it
 * and reopened on the next send after they close. A reply travels back on the link its request came
 * in on; that link's sender address is only a claim, so it is never used to route other traffic.
 * The node id handed to the {@link InboundHandler} is the one the remote's TLS certificate proves.
 * A link without a client certificate (a joining peer) may send one request of the type given to
 * {@link #acceptUnauthenticated}; anything else closes it. The {@link Piggyback} is asked for its
 * bytes when an envelope is built and told about inbound bytes when one is dispatched, both on the
 * event loop; inbound bytes of a reply are handed over before its RTT sample.
 *
 * <p>RTT samples measure the network only. Every inbound envelope is stamped on the I/O thread
 * that decoded it (the loop's clock must be readable from any thread, as the system clock is), so
 * a busy event loop on either side does not inflate samples. A responder sends with its reply the
 * time from that stamp to the reply being built ({@link Envelope#holdMicros}; before any
 * {@link DelayPolicy} delay, which emulates the network); the requester reports the time from
 * sending to the reply's stamp minus that hold ({@link RttSample}).
 */
public final class NettyTransport implements Transport {
    private static final Logger LOG = Logger.getLogger(NettyTransport.class.getName());
    private static final int MAX_ERROR_CHARS = 1_000;

    private final NettyTransportConfig config;
    private final NettyTls tls;
    private final NodeId localId;
    private final EventLoop loop;
    private final KryoCodec codec;
    private final TransportStats stats = new TransportStats();
    private final EventLoopGroup group;
    private final Bootstrap clientBootstrap;
    private final Channel serverChannel;
    private final PeerAddress localAddress;
    /** Every open channel, closed explicitly on close(): group shutdown alone left accepted links open. */
    private final ChannelGroup channels = new DefaultChannelGroup("starling-links", ImmediateEventExecutor.INSTANCE);
    private final List<RttListener> rttListeners = new CopyOnWriteArrayList<>();
    private volatile InboundHandler handler;
    private volatile Piggyback piggyback;
    private volatile Class<? extends Message> unauthenticatedType;
    private volatile UnauthenticatedHandler unauthenticatedHandler;
    private volatile boolean closed;

    // Confined to the event loop.
    private final Map<PeerAddress, Link> links = new LinkedHashMap<>();
    private final Map<Long, Pending> pending = new LinkedHashMap<>();
    private long lastRequestId;
    private int inboundInFlight;

    /**
     * Binds the listening socket at once.
     *
     * @param registry every message type must be registered before this call
     * @throws IllegalStateException when the address cannot be bound
     */
    public NettyTransport(NettyTransportConfig config, NettyTls tls, NodeId localId, EventLoop loop, WireRegistry registry) {
        this.config = config;
        this.tls = tls;
        this.localId = localId;
        this.loop = loop;
        this.codec = new KryoCodec(registry);
        this.group = new MultiThreadIoEventLoopGroup(config.ioThreads(), NioIoHandler.newFactory());
        this.clientBootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connectTimeoutMillis()))
                .option(ChannelOption.TCP_NODELAY, true);
        ServerBootstrap server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        configure(ch, tls.serverContext().newHandler(ch.alloc()));
                    }
                });
        try {
            serverChannel = server.bind(config.bindHost(), config.bindPort()).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IllegalStateException("cannot listen on " + config.bindHost() + ":" + config.bindPort() + ": " + e.getMessage(), e);
        }
        int port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        this.localAddress = config.advertisedAddress() != null ? config.advertisedAddress() : new PeerAddress(config.bindHost(), port);
    }

    private void configure(Channel ch, SslHandler ssl) {
        channels.add(ch);
        PeerPipeline.configure(ch.pipeline(), ssl, config.handshakeTimeoutMillis(), config.idleTimeoutMillis(),
                config.maxFrameBytes(), codec, stats);
        ch.pipeline().addLast("link", new LinkHandler(tls.authenticator(), stats, this::onEnvelope));
    }

    @Override
    public PeerAddress localAddress() {
        return localAddress;
    }

    /** The port actually bound (differs from {@link #localAddress()} when an advertised address is set). */
    public int boundPort() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    @Override
    public NodeId localId() {
        return localId;
    }

    public TransportStats stats() {
        return stats;
    }

    public EventLoop eventLoop() {
        return loop;
    }

    @Override
    public void setHandler(InboundHandler handler) {
        this.handler = handler;
    }

    /**
     * Lets links without a client certificate send requests of exactly {@code requestType} (the join
     * request) to {@code handler}; every other message on such a link closes it.
     */
    public void acceptUnauthenticated(Class<? extends Message> requestType, UnauthenticatedHandler handler) {
        this.unauthenticatedType = requestType;
        this.unauthenticatedHandler = handler;
    }

    @Override
    public void addRttListener(RttListener listener) {
        rttListeners.add(listener);
    }

    @Override
    public void setPiggyback(Piggyback piggyback) {
        this.piggyback = piggyback;
    }

    @Override
    public CompletableFuture<Message> request(PeerAddress to, Message request, long timeoutMillis) {
        CompletableFuture<Message> future = new CompletableFuture<>();
        onLoop(() -> startRequest(to, request, timeoutMillis, future));
        return future;
    }

    @Override
    public void send(PeerAddress to, Message message) {
        onLoop(() -> {
            if (!closed) {
                deliver(to, stamped(Envelope.oneWay(localAddress, message)));
            }
        });
    }

    // ---- outbound, on the event loop -------------------------------------------------------

    private void startRequest(PeerAddress to, Message request, long timeoutMillis, CompletableFuture<Message> future) {
        if (closed) {
            future.completeExceptionally(new TransportException(TransportException.Kind.CLOSED, "transport closed"));
            return;
        }
        if (pending.size() >= config.maxPendingRequests()) {
            future.completeExceptionally(new TransportException(TransportException.Kind.REJECTED,
                    "too many pending requests (maxPendingRequests=" + config.maxPendingRequests() + ")"));
            return;
        }
        long id = ++lastRequestId;
        Pending p = new Pending(to, future, loop.clock().monoNanos());
        pending.put(id, p);
        p.timeout = loop.schedule(timeoutMillis, () -> {
            if (pending.remove(id) != null) {
                dropSilentLink(p, timeoutMillis);
                future.completeExceptionally(new TransportException(TransportException.Kind.TIMEOUT,
                        "no reply from " + to + " within " + timeoutMillis + " ms"));
            }
        });
        deliver(to, stamped(Envelope.request(id, localAddress, request)));
    }

    /** {@code envelope} with the piggyback's current bytes (on the event loop). */
    private Envelope stamped(Envelope envelope) {
        Piggyback pb = piggyback;
        if (pb == null) {
            return envelope;
        }
        try {
            return envelope.withPiggyback(pb.outgoing());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "piggyback failed", e);
            return envelope;
        }
    }

    /** Hands inbound piggyback bytes over; only from authenticated links (the sender id is proven). */
    private void received(NodeId remote, Envelope envelope) {
        Piggyback pb = piggyback;
        if (pb == null || remote == null || envelope.piggyback() == null) {
            return;
        }
        try {
            pb.incoming(remote, envelope.piggyback());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "piggyback failed on bytes from " + remote, e);
        }
    }

    private void deliver(PeerAddress to, Envelope envelope) {
        long delay = config.delayPolicy().artificialDelayMillis(to);
        if (delay > 0) {
            loop.schedule(delay, () -> route(to, envelope));
        } else {
            route(to, envelope);
        }
    }

    private void route(PeerAddress to, Envelope envelope) {
        if (closed) {
            fail(envelope, TransportException.Kind.CLOSED, "transport closed");
            return;
        }
        Link link = links.get(to);
        if (link == null) {
            link = connect(to);
        }
        Pending p = envelope.kind() == Envelope.Kind.REQUEST ? pending.get(envelope.requestId()) : null;
        if (p != null) {
            p.channel = link.channel;
        }
        if (link.ready) {
            write(link.channel, envelope);
        } else if (link.queue.size() < config.maxPendingRequests()) {
            if (p != null) {
                p.queuedNanos = loop.clock().monoNanos();
            }
            link.queue.add(envelope);
        } else {
            fail(envelope, TransportException.Kind.REJECTED, "send queue to " + to + " is full");
        }
    }

    private Link connect(PeerAddress to) {
        Bootstrap b = clientBootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                configure(ch, tls.clientContext().newHandler(ch.alloc(), to.host(), to.port()));
            }
        });
        ChannelFuture connected = b.connect(to.host(), to.port());
        Link link = new Link(to, connected.channel());
        links.put(to, link);
        connected.addListener(f -> {
            if (!f.isSuccess()) {
                onLoop(() -> linkFailed(link, f.cause()));
                return;
            }
            link.channel.pipeline().get(SslHandler.class).handshakeFuture().addListener(h -> onLoop(() -> {
                if (h.isSuccess()) {
                    linkReady(link);
                } else {
                    linkFailed(link, h.cause());
                }
            }));
        });
        link.channel.closeFuture().addListener(f -> onLoop(() -> linkFailed(link, null)));
        return link;
    }

    private void linkReady(Link link) {
        if (links.get(link.to) != link || !link.channel.isActive()) {
            return;
        }
        link.ready = true;
        long now = loop.clock().monoNanos();
        while (!link.queue.isEmpty()) {
            Envelope envelope = link.queue.poll();
            Pending p = envelope.kind() == Envelope.Kind.REQUEST ? pending.get(envelope.requestId()) : null;
            if (p != null) {
                p.sentNanos += now - p.queuedNanos; // RTT samples exclude connect and handshake time
            }
            write(link.channel, envelope);
        }
    }

    /**
     * A request timed out on a link that has delivered no reply since it was sent: the link is
     * presumed dead (a cut WAN drops packets silently, and TCP would keep retransmitting with
     * growing back-off long after the path heals), so it is closed and the next message opens a
     * fresh connection, which succeeds as soon as the path is back.
     */
    private void dropSilentLink(Pending p, long timeoutMillis) {
        Link link = links.get(p.to);
        if (link != null && link.ready && link.channel == p.channel && link.lastReplyNanos < p.sentNanos) {
            stats.record(TransportStats.Kind.SILENT_LINK_CLOSED, link.channel.remoteAddress(), null);
            linkFailed(link, new java.io.IOException("no reply within " + timeoutMillis + " ms, link presumed dead"));
        }
    }

    /** Connect failure, handshake failure or close: forget the link and fail what depended on it. */
    private void linkFailed(Link link, Throwable cause) {
        if (links.get(link.to) == link) {
            links.remove(link.to);
        }
        link.channel.close();
        boolean wasReady = link.ready;
        link.ready = false;
        String why = cause == null ? "link to " + link.to + " closed" : "cannot reach " + link.to + ": " + describe(cause);
        TransportException.Kind kind = cause == null && wasReady ? TransportException.Kind.CLOSED : TransportException.Kind.UNREACHABLE;
        while (!link.queue.isEmpty()) {
            fail(link.queue.poll(), kind, why);
        }
        List<Long> dead = new ArrayList<>();
        for (Map.Entry<Long, Pending> e : pending.entrySet()) {
            if (e.getValue().channel == link.channel) {
                dead.add(e.getKey());
            }
        }
        for (Long id : dead) {
            Pending p = pending.remove(id);
            p.timeout.cancel();
            p.future.completeExceptionally(new TransportException(kind, why));
        }
    }

    private void write(Channel channel, Envelope envelope) {
        channel.writeAndFlush(envelope).addListener(f -> {
            if (!f.isSuccess()) {
                Throwable cause = f.cause();
                boolean encoding = cause instanceof CodecException || cause.getCause() instanceof CodecException;
                onLoop(() -> fail(envelope, encoding ? TransportException.Kind.REJECTED : TransportException.Kind.UNREACHABLE,
                        describe(cause)));
            }
        });
    }

    private void fail(Envelope envelope, TransportException.Kind kind, String why) {
        if (envelope.kind() != Envelope.Kind.REQUEST) {
            return; // one-way losses are silent by contract
        }
        Pending p = pending.remove(envelope.requestId());
        if (p != null) {
            p.timeout.cancel();
            p.future.completeExceptionally(new TransportException(kind, why));
        }
    }

    // ---- inbound -----------------------------------------------------------------------------

    /** On a Netty thread: refuse what an unauthenticated link may not send, post the rest. */
    private void onEnvelope(Channel ch, NodeId remote, Envelope envelope) {
        if (remote == null) {
            Class<? extends Message> allowed = unauthenticatedType;
            if (envelope.kind() != Envelope.Kind.REQUEST || allowed == null || !allowed.isInstance(envelope.payload())) {
                stats.record(TransportStats.Kind.UNAUTHENTICATED_MESSAGE, ch.remoteAddress(), null);
                ch.close();
                return;
            }
        }
        long arrivedNanos = loop.clock().monoNanos();
        onLoop(() -> dispatch(ch, remote, envelope, arrivedNanos));
    }

    private void dispatch(Channel ch, NodeId remote, Envelope envelope, long arrivedNanos) {
        if (closed) {
            return;
        }
        switch (envelope.kind()) {
            case RESPONSE, ERROR -> onReply(ch, remote, envelope, arrivedNanos);
            case REQUEST, ONE_WAY -> onRequest(ch, remote, envelope, arrivedNanos);
            default -> throw new IllegalStateException("unknown kind " + envelope.kind());
        }
    }

    private void onReply(Channel ch, NodeId remote, Envelope envelope, long arrivedNanos) {
        Pending p = pending.get(envelope.requestId());
        if (p == null) {
            return; // late reply after a timeout
        }
        if (p.channel != ch) {
            stats.record(TransportStats.Kind.UNEXPECTED_RESPONSE, ch.remoteAddress(), null);
            return;
        }
        pending.remove(envelope.requestId());
        p.timeout.cancel();
        Link link = links.get(p.to);
        if (link != null && link.channel == ch) {
            link.lastReplyNanos = arrivedNanos;
        }
        received(remote, envelope); // before the RTT sample: listeners use the coordinate that came with it
        reportRtt(ch, remote, p, arrivedNanos - p.sentNanos, envelope.holdMicros());
        if (envelope.kind() == Envelope.Kind.RESPONSE) {
            p.future.complete(envelope.payload());
        } else {
            p.future.completeExceptionally(new TransportException(TransportException.Kind.REMOTE_ERROR,
                    "remote error from " + p.to + ": " + envelope.error()));
        }
    }

    /** Tells the listeners the network's share of the round trip; an implausible hold time gives no sample. */
    private void reportRtt(Channel ch, NodeId remote, Pending p, long elapsedNanos, long holdMicros) {
        long holdNanos = holdMicros > Long.MAX_VALUE / 1_000 ? Long.MAX_VALUE : holdMicros * 1_000;
        double rttMillis = RttSample.networkMillis(elapsedNanos, holdNanos);
        if (rttMillis == RttSample.NONE) {
            stats.record(TransportStats.Kind.IMPLAUSIBLE_HOLD_TIME, ch.remoteAddress(),
                    new IllegalArgumentException("hold " + holdMicros + " us, round trip " + elapsedNanos / 1_000 + " us"));
            return;
        }
        for (RttListener l : rttListeners) {
            try {
                l.onRtt(remote, p.to, rttMillis);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "RTT listener failed", e);
            }
        }
    }

    /** Microseconds since {@code arrivedNanos}: how long this peer has held a request. */
    private long heldMicros(long arrivedNanos) {
        return Math.max(0, loop.clock().monoNanos() - arrivedNanos) / 1_000;
    }

    private void onRequest(Channel ch, NodeId remote, Envelope envelope, long arrivedNanos) {
        boolean oneWay = envelope.kind() == Envelope.Kind.ONE_WAY;
        received(remote, envelope);
        if (inboundInFlight >= config.maxInboundRequests()) {
            if (!oneWay) {
                reply(ch, Envelope.error(envelope.requestId(), localAddress,
                        "overloaded (maxInboundRequests=" + config.maxInboundRequests() + ")", heldMicros(arrivedNanos)));
            }
            return;
        }
        CompletableFuture<Message> reply;
        try {
            if (remote == null) {
                reply = unauthenticatedHandler.handle(ch.remoteAddress(), envelope.payload());
            } else {
                InboundHandler h = handler;
                reply = h == null ? CompletableFuture.failedFuture(new IllegalStateException("peer has no handler yet"))
                        : h.handle(remote, envelope.sender(), envelope.payload());
            }
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        if (oneWay) {
            return;
        }
        if (reply == null) {
            reply = CompletableFuture.failedFuture(new IllegalStateException(
                    "no reply for " + envelope.payload().getClass().getSimpleName()));
        }
        long id = envelope.requestId();
        inboundInFlight++;
        reply.whenComplete((r, ex) -> onLoop(() -> {
            inboundInFlight--;
            long holdMicros = heldMicros(arrivedNanos);
            Envelope answer = stamped(ex == null && r != null ? Envelope.response(id, localAddress, r, holdMicros)
                    : Envelope.error(id, localAddress, ex == null ? "null reply" : describe(ex), holdMicros));
            long delay = envelope.sender() == null ? 0 : config.delayPolicy().artificialDelayMillis(envelope.sender());
            if (delay > 0) {
                loop.schedule(delay, () -> reply(ch, answer));
            } else {
                reply(ch, answer);
            }
        }));
    }

    private void reply(Channel ch, Envelope answer) {
        ch.writeAndFlush(answer).addListener(f -> {
            Throwable cause = f.cause();
            if (cause != null && answer.kind() == Envelope.Kind.RESPONSE
                    && (cause instanceof CodecException || cause.getCause() instanceof CodecException)) {
                // The reply could not be encoded (unregistered class, too large): tell the caller why.
                ch.writeAndFlush(Envelope.error(answer.requestId(), localAddress, "reply not sendable: " + describe(cause),
                        answer.holdMicros()));
            }
        });
    }

    // ---- lifecycle ---------------------------------------------------------------------------

    private void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    /** Number of open outbound links (for tests and diagnostics; call on the event loop). */
    int openLinks() {
        return links.size();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        onLoop(() -> {
            for (Iterator<Map.Entry<Long, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
                Pending p = it.next().getValue();
                it.remove();
                p.timeout.cancel();
                p.future.completeExceptionally(new TransportException(TransportException.Kind.CLOSED, "transport closed"));
            }
            links.clear();
        });
        serverChannel.close();
        boolean onIoThread = false;
        for (EventExecutor e : group) {
            onIoThread |= e.inEventLoop();
        }
        // Waiting on a Netty thread would deadlock, so only other threads wait for the closes.
        var closing = channels.close();
        if (!onIoThread) {
            closing.awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        var shutdown = group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        if (!onIoThread) {
            shutdown.awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    static String describe(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c.getClass() == io.netty.handler.codec.EncoderException.class)
                && c.getCause() != null) {
            c = c.getCause();
        }
        String text = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
        return text.length() > MAX_ERROR_CHARS ? text.substring(0, MAX_ERROR_CHARS) + "..." : text;
    }

    private static final class Link {
        final PeerAddress to;
        final Channel channel;
        final ArrayDeque<Envelope> queue = new ArrayDeque<>();
        boolean ready;
        /** When the last reply arrived on this link (monotonic ns); a silent link is presumed dead. */
        long lastReplyNanos;

        Link(PeerAddress to, Channel channel) {
            this.to = to;
            this.channel = channel;
        }
    }

    private static final class Pending {
        final PeerAddress to;
        final CompletableFuture<Message> future;
        long sentNanos;
        long queuedNanos;
        Cancellable timeout = Cancellable.NONE;
        Channel channel;

        Pending(PeerAddress to, CompletableFuture<Message> future, long sentNanos) {
            this.to = to;
            this.future = future;
            this.sentNanos = sentNanos;
        }
    }
}
