package io.starling.scheduler.service;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.starling.core.exec.Cancellable;
import io.starling.core.exec.EventLoop;
import io.starling.dht.kube.ObjectClient;
import io.starling.scheduler.queue.InformerHandler;
import io.starling.scheduler.queue.SharedInformer;
import io.starling.scheduler.service.ServiceRoutes.Route;
import io.starling.scheduler.vivaldi.Coordinate;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A node's service proxy: for every TCP port of a NodePort/LoadBalancer Service it listens on
 * {@code bindHost:nodePort} and relays each connection to the nearest ready endpoint
 * ({@link NearestEndpoint}). Routes are rebuilt on the peer's event loop whenever a Service,
 * EndpointSlice or Node changes (and periodically, as this node's coordinate moves) and published
 * as an immutable snapshot that the socket threads read. A port that cannot be bound (another
 * process has it) is logged and retried at the next rebuild; it never stops the peer.
 */
public final class ServiceProxy implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ServiceProxy.class.getName());
    private static final long REBUILD_PERIOD_MILLIS = 5_000;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final EventLoop loop;
    private final String nodeName;
    private final String bindHost;
    private final Supplier<Coordinate> localCoordinate;
    private final SharedInformer<Service> services;
    private final SharedInformer<EndpointSlice> slices;
    private final SharedInformer<Node> nodes;
    private final EventLoopGroup io = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Map<Integer, Channel> listeners = new TreeMap<>();
    private final AtomicLong connections = new AtomicLong();
    private volatile Snapshot snapshot = new Snapshot(new TreeMap<>(), "");
    private boolean rebuildQueued;
    private Cancellable periodic;

    private record Snapshot(TreeMap<Integer, Route> routes, String localSite) {}

    /**
     * @param localCoordinate this peer's current Vivaldi coordinate (null while unknown); called on the loop
     */
    public ServiceProxy(ObjectClient client, EventLoop loop, String nodeName, String bindHost,
                        Supplier<Coordinate> localCoordinate) {
        this.loop = loop;
        this.nodeName = nodeName;
        this.bindHost = bindHost;
        this.localCoordinate = localCoordinate;
        this.services = new SharedInformer<>(client, Service.class, loop);
        this.slices = new SharedInformer<>(client, EndpointSlice.class, loop);
        this.nodes = new SharedInformer<>(client, Node.class, loop);
    }

    public void start() {
        loop.execute(() -> {
            for (SharedInformer<?> inf : new SharedInformer<?>[] {services, slices, nodes}) {
                inf.addHandler(InformerHandler.any(o -> queueRebuild()));
                inf.start();
            }
            periodic = loop.scheduleAtFixedRate(REBUILD_PERIOD_MILLIS, REBUILD_PERIOD_MILLIS, this::queueRebuild);
        });
    }

    /** The routes currently served, by node port (for tests and diagnostics). */
    public Map<Integer, Route> routes() {
        return snapshot.routes();
    }

    /** Node ports with a bound listener. */
    public synchronized java.util.Set<Integer> listeningPorts() {
        return new java.util.TreeSet<>(listeners.keySet());
    }

    private void queueRebuild() {
        if (!rebuildQueued) {
            rebuildQueued = true;
            loop.execute(this::rebuild);
        }
    }

    private void rebuild() {
        rebuildQueued = false;
        var nodeList = nodes.list();
        TreeMap<Integer, Route> routes = ServiceRoutes.build(services.list(), slices.list(), nodeList, nodeName,
                localCoordinate.get());
        snapshot = new Snapshot(routes, ServiceRoutes.siteOf(nodeList, nodeName));
        reconcileListeners(routes);
    }

    private synchronized void reconcileListeners(TreeMap<Integer, Route> routes) {
        for (var it = listeners.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!routes.containsKey(e.getKey())) {
                e.getValue().close();
                it.remove();
            }
        }
        for (Route r : routes.values()) {
            if (!listeners.containsKey(r.nodePort())) {
                bind(r);
            }
        }
    }

    private void bind(Route r) {
        ChannelFuture f = new ServerBootstrap().group(io).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new io.netty.channel.ChannelInitializer<io.netty.channel.socket.SocketChannel>() {
                    @Override
                    protected void initChannel(io.netty.channel.socket.SocketChannel ch) {
                        ch.pipeline().addLast(new Relay.Frontend(ServiceProxy.this::connect, r.nodePort()));
                    }
                })
                .bind(new InetSocketAddress(bindHost, r.nodePort())).awaitUninterruptibly();
        if (f.isSuccess()) {
            listeners.put(r.nodePort(), f.channel());
            LOG.info("service " + r.namespace() + "/" + r.service() + " listens on " + bindHost + ":" + r.nodePort());
        } else {
            LOG.log(Level.WARNING, "cannot listen on " + bindHost + ":" + r.nodePort() + " for service "
                    + r.namespace() + "/" + r.service() + ": " + f.cause().getMessage() + " (retried later)");
        }
    }

    /** Connects a new inbound connection on {@code nodePort} to the nearest ready endpoint, if any. */
    private Optional<ChannelFuture> connect(int nodePort, Channel inbound) {
        Snapshot s = snapshot;
        Route route = s.routes().get(nodePort);
        if (route == null) {
            return Optional.empty();
        }
        Optional<Endpoint> target = NearestEndpoint.choose(route.endpoints(), s.localSite(),
                NearestEndpoint.DEFAULT_TOLERANCE_MS, connections.getAndIncrement());
        return target.map(ep -> new Bootstrap().group(inbound.eventLoop()).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new Relay.Backend(inbound))
                .connect(ep.address(), ep.port()));
    }

    @Override
    public void close() {
        loop.execute(() -> {
            if (periodic != null) {
                periodic.cancel();
            }
            services.stop();
            slices.stop();
            nodes.stop();
        });
        synchronized (this) {
            listeners.values().forEach(Channel::close);
            listeners.clear();
        }
        io.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }
}
