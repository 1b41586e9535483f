package io.starling.gateway;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.starling.core.exec.EventLoop;
import io.starling.core.random.RandomSource;
import io.starling.dht.store.ClusterStore;
import io.starling.gateway.api.ApiContext;
import io.starling.gateway.api.ApiRouter;
import io.starling.gateway.api.ObjectStore;
import io.starling.gateway.api.Seeder;
import io.starling.gateway.http.BodyLimitAggregator;
import io.starling.gateway.http.HttpProtocols;
import io.starling.gateway.http.HttpRequestHandler;
import io.starling.gateway.ipam.ClusterIpAllocator;
import io.starling.gateway.ipam.ServiceCidr;
import io.starling.gateway.kubelet.KubeletProxy;
import io.starling.gateway.scope.ClusterAuthenticator;
import io.starling.gateway.scope.ScopeAuthorizer;
import io.starling.gateway.scope.ScopeDirectory;
import io.starling.gateway.scope.SiteAffinity;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Kubernetes API server of a super-peer: HTTP/1.1, and HTTP/2 when the SslContext offers it in
 * ALPN ({@link HttpProtocols#alpn()}), on Netty, serving the resources of
 * {@link io.starling.dht.kube.Resources} from a {@link ClusterStore}. Any number of instances may
 * share a store (one per super-peer); what one accepts, all serve.
 *
 * <p>Pipeline: [TLS] -> [ALPN: HTTP/1.1 codec, or HTTP/2 codec + one child channel per stream] ->
 * aggregator with the body limit (413) -> adapter that hands each request to a worker pool. Store
 * futures complete on the peer's {@link EventLoop}; API code continues on the workers, so neither Netty's loop nor the peer's loop does JSON work.
 */
public final class KubeApiServer implements AutoCloseable {
    private final GatewayConfig config;
    private final ApiContext ctx;
    private final ExecutorService workers;
    private final ApiRouter router;
    private final Semaphore inFlight;
    private final ScopeDirectory scopes;
    private EventLoopGroup boss;
    private EventLoopGroup io;
    private Channel channel;
    private volatile InetSocketAddress bound;

    public KubeApiServer(GatewayConfig config, ClusterStore store, EventLoop loop, RandomSource random) {
        this.config = config;
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "kube-gateway-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.workers = Executors.newFixedThreadPool(config.workerThreads(), tf);
        this.ctx = new ApiContext(new ObjectStore(store, workers, config.scope()), loop, random.derive("kube-gateway"),
                config.siteName(), config.maxWatchSeconds());
        ctx.setClusterIps(new ClusterIpAllocator(store, workers, ServiceCidr.parse(config.serviceCidr()), config.siteName()));
        KubeletProxy proxy = config.kubeletProxy() != null ? config.kubeletProxy() : KubeletProxy.plain();
        this.inFlight = new Semaphore(config.maxInFlightRequests());
        if (config.tenancy()) {
            this.scopes = new ScopeDirectory(store, loop);
            ScopeDirectory dir = scopes;
            ctx.setAdmission((rt, o) -> SiteAffinity.apply(rt, o,
                    dir.snapshot().sitesOf(o.path("metadata").path("namespace").asText(""))));
            this.router = new ApiRouter(ctx, new ClusterAuthenticator(scopes::snapshot), new ScopeAuthorizer(scopes::snapshot),
                    proxy, this::advertisedAddress);
        } else {
            this.scopes = null;
            this.router = new ApiRouter(ctx, config.authenticator(), proxy, this::advertisedAddress);
        }
    }

    /** Seeds the system objects (idempotent), loads the scopes (with tenancy), then listens; returns the bound address. */
    public InetSocketAddress start() throws InterruptedException {
        try {
            Seeder.seed(ctx).get(30, TimeUnit.SECONDS);
            if (scopes != null) {
                scopes.start().get(30, TimeUnit.SECONDS);
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot seed the cluster objects or load the scopes", e);
        }
        boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        io = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, io)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (config.sslContext() != null) {
                            p.addLast("tls", config.sslContext().newHandler(ch.alloc()));
                        }
                        if (HttpProtocols.offersHttp2(config.sslContext())) {
                            p.addLast("alpn", HttpProtocols.negotiation(KubeApiServer.this::addRequestHandlers));
                        } else {
                            p.addLast("http", new HttpServerCodec());
                            addRequestHandlers(p);
                        }
                    }
                });
        channel = b.bind(config.bindHost(), config.port()).sync().channel();
        bound = (InetSocketAddress) channel.localAddress();
        return bound;
    }

    /** What follows the HTTP codec, on an HTTP/1.1 connection or on each HTTP/2 stream. */
    private void addRequestHandlers(ChannelPipeline p) {
        p.addLast("aggregate", new BodyLimitAggregator(config.maxBodyBytes(), router));
        p.addLast("api", new HttpRequestHandler(router, workers, inFlight));
    }

    /** host:port clients should use (discovery's serverAddressByClientCIDRs). */
    private String advertisedAddress() {
        InetSocketAddress a = bound;
        return a == null ? config.bindHost() + ":" + config.port() : a.getHostString() + ":" + a.getPort();
    }

    /** Where the serving peer is in Vivaldi space ("X,Y,HEIGHT,ERROR"); node tables show the estimated RTT from it. */
    public void setCoordinates(java.util.function.Supplier<String> coordinates) {
        ctx.setViewerCoordinates(coordinates);
    }

    /** This server's view of the Scope objects; {@code null} without tenancy. */
    public ScopeDirectory scopes() {
        return scopes;
    }

    public InetSocketAddress address() {
        return bound;
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        if (io != null) {
            io.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (scopes != null) {
            scopes.close();
        }
        workers.shutdownNow();
    }
}
