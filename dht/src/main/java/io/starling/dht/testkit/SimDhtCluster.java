package io.starling.dht.testkit;

import io.starling.core.identity.PeerIdentity;
import io.starling.core.net.Contact;
import io.starling.core.net.NodeId;
import io.starling.core.net.PeerAddress;
import io.starling.core.random.RandomSource;
import io.starling.core.random.SeededRandom;
import io.starling.core.sim.LatencyModel;
import io.starling.core.sim.SimEndpoint;
import io.starling.core.sim.SimEventLoop;
import io.starling.core.sim.SimNetwork;
import io.starling.core.sim.SimTransport;
import io.starling.core.sim.Simulation;
import io.starling.dht.node.DhtConfig;
import io.starling.dht.node.DhtNode;
import io.starling.dht.record.RecordSignatures;
import io.starling.dht.storage.MvRecordStorage;
import io.starling.dht.storage.RecordStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/**
 * N super-peers running the production {@link DhtNode} over a {@link SimNetwork}. Identities,
 * latencies and every protocol decision derive from one seed. Peers join one after another through
 * a few seed peers, as real peers would.
 */
public final class SimDhtCluster {
    /** One simulated super-peer; {@link #node} changes on restart. */
    public static final class Peer {
        public final int index;
        public final PeerIdentity identity;
        public final Contact contact;
        public SimEventLoop loop;
        public SimTransport transport;
        public DhtNode node;
        public boolean up;

        Peer(int index, PeerIdentity identity, Contact contact) {
            this.index = index;
            this.identity = identity;
            this.contact = contact;
        }

        public NodeId id() {
            return contact.id();
        }
    }

    private final long seed;
    private final RandomSource random;
    private final Simulation sim;
    private final SimNetwork net;
    private final DhtConfig cfg;
    private final List<Peer> peers = new ArrayList<>();
    private IntFunction<RecordStorage> storageFactory;
    private RecordSignatures signatures = RecordSignatures.ED25519;
    private final List<NodeStartListener> startListeners = new ArrayList<>();

    /** Called whenever a peer's node is (re)started, before it bootstraps (install extra protocols here). */
    public interface NodeStartListener {
        void onStart(Peer peer);
    }

    public SimDhtCluster(long seed, DhtConfig cfg, LatencyModel latency) {
        this.seed = seed;
        this.random = new SeededRandom(seed);
        this.sim = new Simulation();
        this.net = new SimNetwork(sim, random.derive("network"), latency);
        this.cfg = cfg;
        this.storageFactory = i -> MvRecordStorage.inMemory(cfg.cacheMaxBytes());
    }

    public long seed() {
        return seed;
    }

    public Simulation sim() {
        return sim;
    }

    public SimNetwork network() {
        return net;
    }

    public DhtConfig config() {
        return cfg;
    }

    public List<Peer> peers() {
        return peers;
    }

    public Peer peer(int i) {
        return peers.get(i);
    }

    public SimDhtCluster storage(IntFunction<RecordStorage> factory) {
        this.storageFactory = factory;
        return this;
    }

    /**
     * The record signature scheme of every peer started from now on (Ed25519 by default; large
     * simulations pass {@link DigestRecordSignatures}).
     */
    public SimDhtCluster signatures(RecordSignatures scheme) {
        this.signatures = scheme;
        return this;
    }

    public SimDhtCluster onStart(NodeStartListener l) {
        startListeners.add(l);
        return this;
    }

    /** Creates and starts a peer (not yet bootstrapped). Puzzle difficulty 0 keeps large runs fast. */
    public Peer addPeer(String site) {
        return addPeer(site, PeerIdentity.deterministic(random.derive("identity-" + peers.size()), 0));
    }

    /**
     * Creates and starts a peer with a given identity, e.g. one read from a real peer's data dir so
     * the simulated overlay has the node ids of a real one.
     */
    public Peer addPeer(String site, PeerIdentity id) {
        int i = peers.size();
        Contact contact = new Contact(id.nodeId(), new PeerAddress("peer" + i + "." + site, 7000), site, true);
        Peer p = new Peer(i, id, contact);
        peers.add(p);
        start(p);
        return p;
    }

    private void start(Peer p) {
        p.loop = sim.newLoop("peer" + p.index);
        p.transport = net.attach(new SimEndpoint(p.contact.id(), p.contact.address(), p.contact.site()), p.loop);
        p.node = new DhtNode(cfg, p.identity, p.contact, p.transport, p.loop,
                random.derive("peer-" + p.index + "-" + sim.nowMillis()), storageFactory.apply(p.index)).signatures(signatures);
        p.up = true;
        for (NodeStartListener l : startListeners) {
            l.onStart(p);
        }
    }

    /** Bootstraps {@code p} through the given seeds and runs the simulation until it finished. */
    public boolean join(Peer p, List<Peer> seeds, long maxMillis) {
        List<PeerAddress> addrs = new ArrayList<>();
        for (Peer s : seeds) {
            if (s != p) {
                addrs.add(s.contact.address());
            }
        }
        CompletableFuture<Void> f = p.node.bootstrap(addrs);
        return sim.runUntil(f::isDone, maxMillis) && !f.isCompletedExceptionally();
    }

    /** Adds {@code n} peers spread round-robin over {@code sites}; each joins through up to 3 earlier peers. */
    public void grow(int n, List<String> sites) {
        for (int i = 0; i < n; i++) {
            Peer p = addPeer(sites.get(peers.size() % sites.size()));
            if (peers.size() > 1) {
                List<Peer> seeds = new ArrayList<>();
                int have = peers.size() - 1;
                for (int s = 0; s < Math.min(3, have); s++) {
                    seeds.add(peers.get(random.nextInt(have)));
                }
                join(p, seeds, 60_000);
            }
        }
    }

    /** Crash: the peer vanishes from the network and its timers stop; its storage is closed. */
    public void crash(Peer p) {
        net.crash(p.contact.address());
        p.node.close();
        p.up = false;
    }

    /** Restarts a crashed peer with a fresh node on storage from the factory and rejoins it. */
    public void restart(Peer p, List<Peer> seeds) {
        if (p.up) {
            throw new IllegalStateException("peer " + p.index + " is up");
        }
        start(p);
        join(p, seeds, 60_000);
    }

    /**
     * Restarts a crashed peer and starts its bootstrap without running the simulation (for callers
     * that are themselves inside a simulated event); the future completes when the join finished.
     */
    public CompletableFuture<Void> restartAsync(Peer p, List<Peer> seeds) {
        if (p.up) {
            throw new IllegalStateException("peer " + p.index + " is up");
        }
        start(p);
        List<PeerAddress> addrs = new ArrayList<>();
        for (Peer s : seeds) {
            if (s != p) {
                addrs.add(s.contact.address());
            }
        }
        return p.node.bootstrap(addrs);
    }

    public List<Peer> livePeers() {
        List<Peer> out = new ArrayList<>();
        for (Peer p : peers) {
            if (p.up) {
                out.add(p);
            }
        }
        return out;
    }

    /** Every live node's and the network's invariants. */
    public void checkInvariants() {
        net.checkInvariants();
        for (Peer p : peers) {
            if (p.up) {
                p.node.checkInvariants();
            }
        }
    }
}
