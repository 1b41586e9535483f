package io.starling.cli.peer;

import io.starling.core.exec.ThreadEventLoop;
import io.starling.core.identity.PeerIdentity;
import io.starling.core.join.JoinMessages;
import io.starling.core.join.JoinService;
import io.starling.core.net.Contact;
import io.starling.core.net.InboundHandler;
import io.starling.core.net.Message;
import io.starling.core.net.PeerAddress;
import io.starling.core.net.WireRegistry;
import io.starling.core.net.netty.NettyTransport;
import io.starling.core.net.netty.NettyTransportConfig;
import io.starling.core.random.RandomSource;
import io.starling.core.random.SecureRandomSource;
import io.starling.core.random.SeededRandom;
import io.starling.core.security.ClusterCa;
import io.starling.core.security.PeerCredentials;
import io.starling.core.security.PeerRole;
import io.starling.core.security.PeerRoles;
import io.starling.dht.cluster.ClusterMessages;
import io.starling.dht.cluster.DhtClusterStore;
import io.starling.dht.kube.MergeConflictEvents;
import io.starling.dht.cluster.RemoteClusterStore;
import io.starling.dht.cluster.StoreService;
import io.starling.dht.node.DhtConfig;
import io.starling.dht.node.DhtMessages;
import io.starling.dht.node.DhtNode;
import io.starling.dht.storage.MvRecordStorage;
import io.starling.dht.store.ClusterStore;
import io.starling.gateway.secrets.AgreementKey;
import io.starling.gateway.secrets.ScopeKeyKeeper;
import io.starling.gateway.secrets.SealingClusterStore;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * One running peer: wires transport, DHT (super-peers) or forwarding store (edge peers) and the
 * services on top. Construction order matters only in one way: every message type is registered
 * before the transport starts accepting links.
 */
public final class PeerNode implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PeerNode.class.getName());
    static final long CACHE_MAX_BYTES = 16L * 1024 * 1024;

    private final PeerSettings settings;
    private final PeerCredentials credentials;
    private final List<Contact> knownContacts;
    /** Roles of the peers that authenticated to this peer's transport (operator requests need OPERATOR). */
    private final PeerRoles roles = new PeerRoles();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private ThreadEventLoop loop;
    private NettyTransport transport;
    private DhtNode dht;
    private ClusterStore store;
    /** Edge peers' inbound dispatch (super-peers route through their DHT node). */
    private MessageRouter router;
    private RandomSource random;
    private PeerCoordinates coordinates;
    private volatile PeerAddress apiAddress;

    public PeerNode(PeerSettings settings, PeerCredentials credentials, List<Contact> knownContacts) {
        this.settings = settings;
        this.credentials = credentials;
        this.knownContacts = List.copyOf(knownContacts);
    }

    public static WireRegistry wireRegistry() {
        WireRegistry registry = new WireRegistry();
        JoinMessages.register(registry);
        DhtMessages.register(registry);
        ClusterMessages.register(registry);
        AdminMessages.register(registry);
        return registry;
    }

    /** Starts everything; returns once the peer is reachable and (super-peers) bootstrapped. */
    public void start() throws Exception {
        PeerIdentity identity = credentials.identity();
        // One seeded source per peer for protocol decisions (STYLE rule 2); the seed itself is fresh per start.
        random = new SeededRandom(ByteBuffer.wrap(SecureRandomSource.bytes(8)).getLong());
        loop = new ThreadEventLoop("starling-" + settings.site() + "-" + identity.nodeId().shortHex());
        closeables.add(loop);
        NettyTransportConfig.Builder tb = NettyTransportConfig.builder()
                .bind(settings.listen().host(), settings.listen().port())
                .advertisedAddress(settings.advertised());
        InjectedWanDelay wanDelay = null;
        if (settings.injectWanDelayMillis() > 0) {
            wanDelay = new InjectedWanDelay(settings.site(), settings.injectWanDelayMillis());
            wanDelay.learn(knownContacts);
            tb.delayPolicy(wanDelay);
            LOG.warning("TEST ONLY: injecting " + settings.injectWanDelayMillis() + " ms RTT towards other sites");
        }
        NettyTransportConfig tcfg = tb.build();
        transport = new NettyTransport(tcfg, credentials.tls(roles), identity.nodeId(), loop, wireRegistry());
        closeables.add(0, transport);
        // Before any traffic: every request from now on feeds the coordinates.
        coordinates = PeerCoordinates.install(transport, loop, random.derive("vivaldi"));
        closeables.add(0, coordinates);
        Contact self = new Contact(identity.nodeId(), transport.localAddress(), settings.site(), settings.superPeer());
        long t0 = loop.clock().monoMillis();
        if (settings.superPeer()) {
            startSuperPeer(identity, self);
            if (wanDelay != null) {
                InjectedWanDelay d = wanDelay;
                // contacts arrive over time; the policy only needs to know them before the first delayed hop
                closeables.add(0, loop.scheduleAtFixedRate(0, 500, () -> dht.routingTable().thenAccept(d::learn))::cancel);
            }
        } else {
            startEdgePeer(self);
        }
        long t1 = loop.clock().monoMillis();
        PeerServices.start(this);
        LOG.info("store ready in " + (t1 - t0) + " ms, services started in " + (loop.clock().monoMillis() - t1) + " ms");
    }

    /** The Kubernetes API address (super-peers), or null. */
    public PeerAddress apiAddress() {
        return apiAddress;
    }

    void setApiAddress(PeerAddress a) {
        apiAddress = a;
    }

    private void startSuperPeer(PeerIdentity identity, Contact self) throws Exception {
        MvRecordStorage storage = MvRecordStorage.open(settings.dataDir().resolve("store"), CACHE_MAX_BYTES)
                .commitOn(loop::execute);
        dht = new DhtNode(DhtConfig.defaults(), identity, self, transport, loop, random.derive("dht"), storage)
                .restrictMembersTo(id -> roles.has(id, PeerRole.SUPER));
        closeables.add(0, dht);
        Optional<ClusterCa> ca = credentials.clusterCa(loop.clock());
        if (ca.isPresent() && credentials.tokenHash().isPresent()) {
            JoinService join = new JoinService(ca.get(), credentials.tokenHash().get(), PeerIdentity.DEFAULT_PUZZLE_BITS,
                    JoinService.DEFAULT_MAX_CLOCK_SKEW_MILLIS, loop.clock(), this::contactsForNewcomers);
            join.attach(transport);
        }
        new AdminService(dht, coordinates, roles).register();
        DhtClusterStore clusterStore = new DhtClusterStore(dht);
        // a same-field write lost in a cross-site merge becomes a Warning Event on the object
        clusterStore.onMergeConflict(new MergeConflictEvents(clusterStore));
        closeables.add(0, clusterStore);
        // Secrets of scoped namespaces are sealed above the DHT: every writer here (API, controllers,
        // edge peers through StoreService) goes through it; cross-site merges run below on ciphertext.
        ScopeKeyKeeper scopeKeys = new ScopeKeyKeeper(clusterStore, loop, identity, settings.site(),
                AgreementKey.loadOrCreate(settings.dataDir().resolve(AgreementKey.FILE_NAME)));
        closeables.add(0, scopeKeys);
        store = new SealingClusterStore(clusterStore, scopeKeys);
        StoreService storeService = new StoreService(dht, store);
        closeables.add(0, storeService);
        List<PeerAddress> seeds = new ArrayList<>(settings.bootstrap());
        for (Contact c : knownContacts) {
            if (c.superPeer() && !c.id().equals(identity.nodeId()) && !seeds.contains(c.address())) {
                seeds.add(c.address());
            }
        }
        if (!seeds.isEmpty()) {
            long t0 = loop.clock().monoMillis();
            try {
                dht.bootstrap(seeds).get(10, TimeUnit.SECONDS);
                LOG.info("bootstrapped through " + seeds.size() + " seed(s) in " + (loop.clock().monoMillis() - t0) + " ms");
            } catch (Exception e) {
                // A restarted cluster may find its seeds still down; periodic refresh will find them.
                LOG.warning("bootstrap incomplete (" + e.getMessage() + "); continuing, refresh will retry");
            }
        }
        scopeKeys.start(); // not awaited: Secret writes wait for it, everything else does not need it
    }

    private List<Contact> contactsForNewcomers() {
        List<Contact> all = new ArrayList<>();
        all.add(dht.self());
        all.addAll(dht.routingTableUnsafe().all());
        return all;
    }

    private void startEdgePeer(Contact self) {
        List<PeerAddress> supers = new ArrayList<>();
        for (Contact c : knownContacts) {
            if (c.superPeer() && c.site().equals(settings.site())) {
                supers.add(c.address());
            }
        }
        for (PeerAddress b : settings.bootstrap()) {
            if (!supers.contains(b)) {
                supers.add(b);
            }
        }
        if (supers.isEmpty()) {
            throw new IllegalStateException("edge peer knows no super-peer of site " + settings.site());
        }
        supers = NearestSuperPeers.order(transport, self, supers);
        LOG.info("attached to super-peer " + supers.get(0) + " (nearest of " + supers.size() + ")");
        RemoteClusterStore remote = new RemoteClusterStore(transport, loop, supers, 10_000, 5_000);
        closeables.add(0, remote);
        router = new MessageRouter().add(remote.inboundHandler());
        transport.setHandler(router);
        store = remote;
    }

    public PeerAddress address() {
        return transport.localAddress();
    }

    public ClusterStore store() {
        return store;
    }

    public Optional<DhtNode> dht() {
        return Optional.ofNullable(dht);
    }

    public ThreadEventLoop loop() {
        return loop;
    }

    public RandomSource random() {
        return random;
    }

    PeerCoordinates coordinates() {
        return coordinates;
    }

    public PeerCredentials credentials() {
        return credentials;
    }

    PeerRoles roles() {
        return roles;
    }

    public PeerSettings settings() {
        return settings;
    }

    public Path dataDir() {
        return settings.dataDir();
    }

    /** Takes inbound messages of {@code type} on this peer, whether it is a DHT member or not. */
    void addHandler(Class<? extends Message> type, InboundHandler handler) {
        if (dht != null) {
            dht.registerHandler(type, handler);
        } else {
            router.add((sender, from, m) -> type.isInstance(m) ? handler.handle(sender, from, m) : null);
        }
    }

    void addCloseable(AutoCloseable c) {
        closeables.add(0, c);
    }

    @Override
    public void close() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.fine("close: " + e);
            }
        }
        closeables.clear();
    }
}
