package io.starling.core.sim;

import io.starling.core.net.Message;
import io.starling.core.net.PeerAddress;
import io.starling.core.random.RandomSource;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The simulated network all {@link SimTransport}s share: per-pair latency from a
 * {@link LatencyModel}, random loss, partitions between sites or peers (cut and healed at run
 * time), and peer crashes. Messages are passed as (immutable) objects; their size is estimated for
 * the per-peer byte counters. Delivery between one ordered pair of peers is FIFO, as over one TCP
 * connection, even with jitter.
 *
 * <p>A dropped request is silent: the caller's timeout fires on virtual time, as it would for a
 * packet lost on a WAN or a peer that crashed.
 */
public final class SimNetwork {
    private final Simulation sim;
    private final RandomSource random;
    private final LatencyModel latency;
    /** Lookup only (never iterated for decisions: iteration goes through sorted copies). */
    private final Map<PeerAddress, SimTransport> endpoints = new java.util.HashMap<>();
    private final Set<String> cutSites = new TreeSet<>();
    private final Set<String> cutPeers = new TreeSet<>();
    private final Map<PeerAddress, PeerStats> stats = new java.util.HashMap<>();
    private SizeEstimator sizes = SizeEstimator.FIXED;
    private double uplinkMbps;
    private double lossProbability;
    private long delivered;
    private long dropped;

    public SimNetwork(Simulation sim, RandomSource random, LatencyModel latency) {
        this.sim = sim;
        this.random = random;
        this.latency = latency;
    }

    public Simulation simulation() {
        return sim;
    }

    public SimNetwork sizeEstimator(SizeEstimator estimator) {
        this.sizes = estimator;
        return this;
    }

    /**
     * Limits every peer's uplink to {@code mbps} megabits per second (0: unlimited): a message
     * leaves only after the ones its sender queued before it, and takes size / bandwidth to send,
     * so bulk transfers (replication, relists after a heal) delay what follows them.
     */
    public SimNetwork uplinkMbps(double mbps) {
        if (!(mbps >= 0) || Double.isInfinite(mbps)) {
            throw new IllegalArgumentException("uplink bandwidth must be a finite number >= 0, got " + mbps);
        }
        this.uplinkMbps = mbps;
        return this;
    }

    public SimNetwork lossProbability(double p) {
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException("loss probability must be in [0,1]");
        }
        this.lossProbability = p;
        return this;
    }

    /** Connects a peer at {@code endpoint.address()}; its events run on {@code loop}. */
    public SimTransport attach(SimEndpoint endpoint, SimEventLoop loop) {
        SimTransport existing = endpoints.get(endpoint.address());
        if (existing != null && !existing.isClosed()) {
            throw new IllegalStateException("address in use: " + endpoint.address());
        }
        SimTransport t = new SimTransport(this, endpoint, loop);
        endpoints.put(endpoint.address(), t);
        stats.computeIfAbsent(endpoint.address(), a -> new PeerStats());
        return t;
    }

    /** Crash: the peer's loop halts (timers and in-flight work vanish) and it stops receiving. */
    public void crash(PeerAddress address) {
        SimTransport t = endpoints.remove(address);
        if (t != null) {
            t.markCrashed();
        }
    }

    public boolean isUp(PeerAddress address) {
        SimTransport t = endpoints.get(address);
        return t != null && !t.isClosed();
    }

    void detach(SimTransport t) {
        endpoints.remove(t.localAddress(), t);
    }

    public void cutSites(String a, String b) {
        cutSites.add(pairKey(a, b));
    }

    public void healSites(String a, String b) {
        cutSites.remove(pairKey(a, b));
    }

    public void cutPeers(PeerAddress a, PeerAddress b) {
        cutPeers.add(pairKey(a.toString(), b.toString()));
    }

    public void healPeers(PeerAddress a, PeerAddress b) {
        cutPeers.remove(pairKey(a.toString(), b.toString()));
    }

    public void healAll() {
        cutSites.clear();
        cutPeers.clear();
    }

    private static String pairKey(String a, String b) {
        return a.compareTo(b) <= 0 ? a + "|" + b : b + "|" + a;
    }

    private boolean blocked(SimEndpoint from, SimEndpoint to) {
        if (!cutSites.isEmpty() && cutSites.contains(pairKey(from.site(), to.site()))) {
            return true;
        }
        return !cutPeers.isEmpty() && cutPeers.contains(pairKey(from.address().toString(), to.address().toString()));
    }

    /**
     * Carries {@code message} from {@code from} to the peer at {@code to}; {@code onArrival} runs on
     * the receiver's loop. Returns false when the message was dropped.
     */
    boolean carry(SimTransport from, PeerAddress to, Message message, java.util.function.Consumer<SimTransport> onArrival) {
        return carry(from, to, message, 0, onArrival);
    }

    /** As {@link #carry(SimTransport, PeerAddress, Message, java.util.function.Consumer)}, counting {@code extraBytes} more (piggyback). */
    boolean carry(SimTransport from, PeerAddress to, Message message, int extraBytes,
                  java.util.function.Consumer<SimTransport> onArrival) {
        long size = sizes.sizeOf(message) + extraBytes;
        PeerStats out = stats.get(from.localAddress());
        if (out != null) {
            out.messagesSent++;
            out.bytesSent += size;
        }
        SimTransport receiver = endpoints.get(to);
        if (receiver == null || receiver.isClosed() || blocked(from.endpoint(), receiver.endpoint())
                || (lossProbability > 0 && random.nextDouble() < lossProbability)) {
            dropped++;
            return false;
        }
        double queued = uplinkMbps > 0 ? from.transmit(size * 8 / (uplinkMbps * 1000.0), sim.nowMillis()) : 0;
        long delay = Math.max(0, Math.round(queued + latency.oneWayMillis(from.endpoint(), receiver.endpoint(), random)));
        long at = from.fifoDeliveryTime(to, sim.nowMillis() + delay, sim.nowMillis());
        long finalSize = size;
        receiver.loop().schedule(at - sim.nowMillis(), () -> {
            if (endpoints.get(to) != receiver || receiver.isClosed()) {
                dropped++;
                return;
            }
            delivered++;
            PeerStats in = stats.get(to);
            if (in != null) {
                in.messagesReceived++;
                in.bytesReceived += finalSize;
            }
            onArrival.accept(receiver);
        });
        return true;
    }

    public long deliveredMessages() {
        return delivered;
    }

    public long droppedMessages() {
        return dropped;
    }

    /** Traffic counters of one peer address (survive crash/restart of the peer). */
    public PeerStats stats(PeerAddress address) {
        PeerStats s = stats.get(address);
        return s == null ? new PeerStats() : s;
    }

    public List<PeerAddress> liveAddresses() {
        return List.copyOf(new TreeMap<>(endpoints).keySet());
    }

    public Map<PeerAddress, PeerStats> allStats() {
        return Collections.unmodifiableMap(new TreeMap<>(stats));
    }

    /** Structural invariants of the network; throws IllegalStateException when one is broken. */
    public void checkInvariants() {
        for (Map.Entry<PeerAddress, SimTransport> e : new TreeMap<>(endpoints).entrySet()) {
            SimTransport t = e.getValue();
            if (!t.localAddress().equals(e.getKey())) {
                throw new IllegalStateException("endpoint registered under a foreign address: " + e.getKey());
            }
            if (t.isClosed()) {
                throw new IllegalStateException("closed transport still attached: " + e.getKey());
            }
            t.checkInvariants();
        }
        for (PeerStats s : stats.values()) {
            if (s.messagesSent < 0 || s.bytesSent < 0 || s.messagesReceived < 0 || s.bytesReceived < 0) {
                throw new IllegalStateException("negative traffic counter");
            }
        }
    }

    /** Messages and estimated bytes one peer sent and received. */
    public static final class PeerStats {
        long messagesSent;
        long bytesSent;
        long messagesReceived;
        long bytesReceived;

        public long messagesSent() {
            return messagesSent;
        }

        public long bytesSent() {
            return bytesSent;
        }

        public long messagesReceived() {
            return messagesReceived;
        }

        public long bytesReceived() {
            return bytesReceived;
        }
    }
}
