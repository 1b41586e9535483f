package io.starling.scheduler.vivaldi;

import io.starling.core.net.NodeId;
import io.starling.core.net.RttListener;
import io.starling.core.random.RandomSource;
import io.starling.core.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A peer's Vivaldi state, fed with the RTT samples its transport already measures (the remote
 * coordinate travels with the messages). Owned by the peer's event loop: not thread-safe, no I/O.
 *
 * <p>Per neighbour it keeps a {@link LatencyFilter} and the last sample (for neighbour decay, see
 * {@link VivaldiNode}); at most {@code maxNeighbours} neighbours are kept,
 * the least recently heard one is dropped first (access-ordered LinkedHashMap, so eviction is
 * deterministic). Besides the system coordinate that moves with every sample, it offers a
 * {@link #stable()} application-level coordinate (Ledlie et al., section 5): it only follows the
 * system coordinate when the centroid of the recent window has drifted more than
 * {@code stableThresholdMs} from it, so Node annotations are not rewritten on every jiggle.
 */
public final class VivaldiService {

    /**
     * @param vivaldi update rule tuning
     * @param filterWindowSamples latency filter window per neighbour
     * @param filterPercentile latency filter percentile in [0, 1]
     * @param maxNeighbours filters kept at most (least recently heard evicted)
     * @param stableWindowSamples system coordinates averaged for the stable coordinate
     * @param stableThresholdMs drift of the window centroid that moves the stable coordinate
     * @param neighbourDecayMaxAgeMillis neighbour decay: each update averages the springs to all
     *                                   neighbours heard within this age, newer ones weigh more
     *                                   (0 = plain single-sample updates)
     */
    public record Config(VivaldiConfig vivaldi, int filterWindowSamples, double filterPercentile, int maxNeighbours,
                         int stableWindowSamples, double stableThresholdMs, long neighbourDecayMaxAgeMillis) {
        public Config {
            if (maxNeighbours < 1 || stableWindowSamples < 1 || !(stableThresholdMs >= 0) || neighbourDecayMaxAgeMillis < 0) {
                throw new IllegalArgumentException("invalid VivaldiService config");
            }
        }

        public static Config defaults() {
            return of(VivaldiConfig.defaults2d());
        }

        public static Config of(VivaldiConfig vivaldi) {
            return new Config(vivaldi, 4, 0.25, 256, 16, 5.0, 0);
        }

        public Config withNeighbourDecay(long maxAgeMillis) {
            return new Config(vivaldi, filterWindowSamples, filterPercentile, maxNeighbours, stableWindowSamples,
                    stableThresholdMs, maxAgeMillis);
        }
    }

    /**
     * A suggested decay age: on the PlanetLab-490 replay (one sample per node per virtual second)
     * decay over the last five minutes lowers the median error from 0.076 to 0.073, but every
     * update then touches all recent neighbours (~100x the CPU of a plain update in the replay),
     * so decay is off by default; turn it on with {@link Config#withNeighbourDecay(long)}.
     */
    public static final long SUGGESTED_DECAY_MAX_AGE_MILLIS = 300_000;

    /** What we keep per neighbour: its latency filter and its last sample. */
    private static final class Neighbour {
        final LatencyFilter filter;
        Coordinate coordinate;
        double rttMs;
        long atMillis;

        Neighbour(LatencyFilter filter) {
            this.filter = filter;
        }
    }

    private final Config config;
    private final Clock clock;
    private final VivaldiNode node;
    private final Map<NodeId, Neighbour> neighbours;
    /** Last coordinate each peer sent us (piggy-backed on its messages), least recently heard evicted first. */
    private final Map<NodeId, VivaldiState> remotes;
    private final double[][] recent;
    private int recentSize;
    private int recentNext;
    private VivaldiState state;
    private Coordinate stable;
    private long samples;

    /** @param clock ages samples for neighbour decay (the event loop's clock; virtual in replays) */
    public VivaldiService(Config config, RandomSource random, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.node = new VivaldiNode(config.vivaldi(), random);
        this.neighbours = new LinkedHashMap<>(16, 0.75f, true);
        this.remotes = new LinkedHashMap<>(16, 0.75f, true);
        this.state = VivaldiState.initial(config.vivaldi());
        this.stable = state.coordinate();
        this.recent = new double[config.stableWindowSamples()][];
    }

    public Coordinate local() {
        return state.coordinate();
    }

    public double error() {
        return state.error();
    }

    public VivaldiState state() {
        return state;
    }

    /** The application-level coordinate: changes only on a real move (see class notes). */
    public Coordinate stable() {
        return stable;
    }

    /** {@code X,Y,HEIGHT,ERROR} of the stable coordinate, for the Node annotation. */
    public String annotation() {
        return CoordinateFormat.formatState(new VivaldiState(stable, state.error()));
    }

    public long samples() {
        return samples;
    }

    public int neighbourCount() {
        return neighbours.size();
    }

    /**
     * Records the coordinate {@code peer} sent with a message (the transport layer calls this for
     * every inbound message that carries a {@link CoordinateStamp}); malformed stamps are ignored.
     */
    public void rememberRemote(NodeId peer, CoordinateStamp stamp) {
        stamp.toState().ifPresent(s -> rememberRemote(peer, s));
    }

    public void rememberRemote(NodeId peer, VivaldiState state) {
        if (state.coordinate().dimensions() != config.vivaldi().dimensions()) {
            return;
        }
        if (!remotes.containsKey(peer) && remotes.size() >= config.maxNeighbours()) {
            remotes.remove(remotes.keySet().iterator().next());
        }
        remotes.put(peer, state);
    }

    /** An RTT sample to {@code peer}: uses the coordinate it last sent; ignored if it never sent one. */
    public void onRtt(NodeId peer, double rttMs) {
        VivaldiState remote = remotes.get(peer);
        if (remote != null) {
            onSample(peer, remote.coordinate(), remote.error(), rttMs);
        }
    }

    /** Adapter for {@code Transport.addRttListener}; call on the peer's event loop (where transports call listeners). */
    public RttListener rttListener() {
        return (peer, address, rttMillis) -> onRtt(peer, rttMillis);
    }

    /** This peer's coordinate to attach to outgoing messages. */
    public CoordinateStamp stamp() {
        return CoordinateStamp.of(state);
    }

    /** Feeds one RTT sample to {@code peer}, whose coordinate and error came with the message. */
    public void onSample(NodeId peer, Coordinate remote, double remoteError, double rttMs) {
        if (!Double.isFinite(rttMs) || rttMs < 0 || remote == null || remote.dimensions() != config.vivaldi().dimensions()) {
            return;
        }
        Neighbour nb = neighbours.get(peer);
        if (nb == null) {
            if (neighbours.size() >= config.maxNeighbours()) {
                neighbours.remove(neighbours.keySet().iterator().next());
            }
            nb = new Neighbour(new LatencyFilter(config.filterWindowSamples(), config.filterPercentile()));
            neighbours.put(peer, nb);
        }
        double filtered = nb.filter.add(rttMs);
        long now = clock.monoMillis();
        nb.coordinate = remote;
        nb.rttMs = filtered;
        nb.atMillis = now;
        VivaldiState next = node.update(state, remote, remoteError, filtered, springs(now));
        if (next != state) {
            state = next;
            samples++;
            trackStable();
        }
    }

    /** Springs to the neighbours heard within the decay age, weighted (maxAge - age); null when decay is off. */
    private List<VivaldiNode.Spring> springs(long now) {
        long maxAge = config.neighbourDecayMaxAgeMillis();
        if (maxAge == 0) {
            return null;
        }
        List<VivaldiNode.Spring> out = new ArrayList<>(neighbours.size());
        for (Neighbour nb : neighbours.values()) {
            long age = now - nb.atMillis;
            if (nb.coordinate != null && age < maxAge) {
                out.add(new VivaldiNode.Spring(nb.coordinate, nb.rttMs, maxAge - Math.max(0, age)));
            }
        }
        return out;
    }

    /** Replaces the state, e.g. restored from the Node annotation after a restart. */
    public void restore(VivaldiState restored) {
        if (restored.coordinate().dimensions() == config.vivaldi().dimensions()) {
            state = restored;
            stable = restored.coordinate();
            recentSize = 0;
        }
    }

    private void trackStable() {
        recent[recentNext] = state.coordinate().raw();
        recentNext = (recentNext + 1) % recent.length;
        recentSize = Math.min(recentSize + 1, recent.length);
        if (recentSize < recent.length) {
            // not enough history yet: follow the system coordinate directly while it is young
            stable = state.coordinate();
            return;
        }
        int n = config.vivaldi().dimensions();
        double[] c = new double[n];
        for (double[] v : recent) {
            for (int i = 0; i < n; i++) {
                c[i] += v[i] / recent.length;
            }
        }
        Coordinate centroid = Coordinate.owning(c, state.coordinate().heightMs());
        if (centroid.euclidean(stable) > config.stableThresholdMs()
                || Math.abs(centroid.heightMs() - stable.heightMs()) > config.stableThresholdMs()) {
            stable = centroid;
        }
    }

    /** Throws if an internal invariant is broken (tests and simulation steps call this). */
    public void checkInvariants() {
        if (!state.coordinate().isFinite() || !stable.isFinite()) {
            throw new IllegalStateException("non-finite coordinate " + state);
        }
        if (!(state.error() > 0 && state.error() <= config.vivaldi().maxError())) {
            throw new IllegalStateException("error out of range: " + state.error());
        }
        if (neighbours.size() > config.maxNeighbours() || remotes.size() > config.maxNeighbours()) {
            throw new IllegalStateException("too many neighbours: " + neighbours.size() + "/" + remotes.size());
        }
    }
}
