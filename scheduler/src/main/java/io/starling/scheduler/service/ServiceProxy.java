package io.starling.scheduler.service;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.starling.core.exec.EventLoop;
import io.starling.dht.kube.ObjectClient;
import io.starling.scheduler.queue.InformerHandler;
import io.starling.scheduler.queue.SharedInformer;
import io.starling.scheduler.service.ServiceRoutes.Listen;
import io.starling.scheduler.service.ServiceRoutes.Route;
import io.starling.scheduler.vivaldi.Coordinate;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A node's service proxy (our kube-proxy, in user space): it listens on {@code clusterIP:port} of
 * every TCP Service port with a loopback ClusterIP, and on {@code bindHost:nodePort} of NodePort
 * and LoadBalancer Services, and relays each connection to the nearest ready endpoint
 * ({@link NearestEndpoint}).
 *
 * <p>Routes are rebuilt on the peer's event loop whenever a Service, EndpointSlice or Node
 * changes, and published as an immutable snapshot that the socket threads read. Distances use
 * the coordinate this node publishes on its Node (so a move of this node's coordinate arrives as
 * a Node event like any other; no periodic rebuild), falling back to the live one until the
 * first publication.
 *
 * <p>ClusterIP listeners set SO_REUSEPORT so that several peers of one host (a development
 * cluster on one machine) can all serve the same ClusterIP; the kernel spreads connections over
 * them. A port that cannot be bound (another process has it) is logged once and retried at the
 * next rebuild; it never stops the peer.
 */
public final class ServiceProxy implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ServiceProxy.class.getName());
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final EventLoop loop;
    private final String nodeName;
    private final String bindHost;
    private final Supplier<Coordinate> localCoordinate;
    private final SharedInformer<Service> services;
    private final SharedInformer<EndpointSlice> slices;
    private final SharedInformer<Node> nodes;
    private final EventLoopGroup io = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Map<Listen, Channel> listeners = new TreeMap<>();
    private final Set<String> reported = new TreeSet<>();
    private final AtomicLong connections = new AtomicLong();
    private volatile Snapshot snapshot = new Snapshot(new TreeMap<>(), "");
    private boolean rebuildQueued;

    private record Snapshot(TreeMap<Listen, Route> routes, String localSite) {}

    /**
     * @param bindHost the address NodePorts listen on (this node's advertised address)
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
        });
    }

    /** The NodePort routes currently served, by node port (for tests and diagnostics). */
    public Map<Integer, Route> routes() {
        Map<Integer, Route> out = new TreeMap<>();
        snapshot.routes().forEach((l, r) -> {
            if (l.host().equals(bindHost)) {
                out.put(l.port(), r);
            }
        });
        return out;
    }

    /** Every route currently served, by listen address. */
    public Map<Listen, Route> allRoutes() {
        return snapshot.routes();
    }

    /** Node ports with a bound listener. */
    public synchronized Set<Integer> listeningPorts() {
        Set<Integer> out = new TreeSet<>();
        listeners.keySet().forEach(l -> {
            if (l.host().equals(bindHost)) {
                out.add(l.port());
            }
        });
        return out;
    }

    /** Every bound listen address. */
    public synchronized Set<Listen> listening() {
        return new TreeSet<>(listeners.keySet());
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
        ServiceRoutes.Table table = ServiceRoutes.build(services.list(), slices.list(), nodeList, nodeName,
                localCoordinate.get(), bindHost);
        for (String w : table.warnings()) {
            if (reported.add(w)) {
                LOG.warning(w);
            }
        }
        snapshot = new Snapshot(table.routes(), ServiceRoutes.siteOf(nodeList, nodeName));
        reconcileListeners(table.routes());
    }

    private synchronized void reconcileListeners(TreeMap<Listen, Route> routes) {
        for (var it = listeners.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!routes.containsKey(e.getKey())) {
                e.getValue().close();
                it.remove();
            }
        }
        for (Route r : routes.values()) {
            if (!listeners.containsKey(r.listen())) {
                bind(r);
            }
        }
    }

    private void bind(Route r) {
        Listen l = r.listen();
        ServerBootstrap b = new ServerBootstrap().group(io).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new Relay.Frontend(ServiceProxy.this::connect, l));
                    }
                });
        if (!l.host().equals(bindHost)) {
            b.option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true);
        }
        ChannelFuture f = b.bind(new InetSocketAddress(l.host(), l.port())).awaitUninterruptibly();
        String what = "service " + r.namespace() + "/" + r.service();
        if (f.isSuccess()) {
            listeners.put(l, f.channel());
            reported.remove(l.toString());
            LOG.info(what + " listens on " + l);
        } else if (reported.add(l.toString())) {
            LOG.log(Level.WARNING, "cannot listen on " + l + " for " + what + ": " + f.cause().getMessage()
                    + " (retried at the next change)");
        }
    }

    /** Connects a new inbound connection on {@code listen} to the nearest ready endpoint, if any. */
    private Optional<ChannelFuture> connect(Listen listen, Channel inbound) {
        Snapshot s = snapshot;
        Route route = s.routes().get(listen);
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
            services.stop();
            slices.stop();
            nodes.stop();
        });
        synchronized (this) {
            listeners.values().forEach(Channel::close);
            listeners.clear();
        }
        io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
