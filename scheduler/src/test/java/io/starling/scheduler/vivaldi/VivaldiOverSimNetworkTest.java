package io.starling.scheduler.vivaldi;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.starling.core.net.Message;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Peers on a simulated network whose RTTs are distances between points on a plane exchange only
 * ordinary requests; coordinates ride on them as piggyback bytes and the RTT samples of the
 * replies move each peer's {@link VivaldiService}. The predicted RTTs must approach the true ones.
 */
class VivaldiOverSimNetworkTest {
    record Ping(int n) implements Message {}

    private static final int PEERS = 24;
    private static final double PLANE_MS = 200;
    private static final double ACCESS_MS = 2;

    private static final class Peer {
        final SimTransport transport;
        final VivaldiService vivaldi;
        final RandomSource random;

        Peer(SimTransport transport, VivaldiService vivaldi, RandomSource random) {
            this.transport = transport;
            this.vivaldi = vivaldi;
            this.random = random;
        }
    }

    @Test
    void coordinatesConvergeFromPiggybackedOrdinaryTraffic() {
        for (long seed : new long[] {11, 12}) {
            double median = run(seed);
            System.out.println("vivaldi over SimNetwork seed=" + seed + " peers=" + PEERS + " median_rel_err=" + median);
            assertTrue(median < 0.1, "seed " + seed + ": median relative error " + median);
        }
    }

    /** @return the median relative error over all pairs after 300 virtual seconds */
    private static double run(long seed) {
        RandomSource world = new SeededRandom(seed);
        Simulation sim = new Simulation();
        Map<PeerAddress, double[]> position = new TreeMap<>();
        List<PeerAddress> addresses = new ArrayList<>();
        for (int i = 0; i < PEERS; i++) {
            PeerAddress a = new PeerAddress("p" + i, 1);
            addresses.add(a);
            position.put(a, new double[] {world.nextDouble() * PLANE_MS, world.nextDouble() * PLANE_MS});
        }
        // One-way delay = half the true RTT: plane distance plus an access link at each end.
        LatencyModel latency = (from, to, random) -> trueRtt(position.get(from.address()), position.get(to.address())) / 2;
        SimNetwork net = new SimNetwork(sim, world.derive("net"), latency);
        List<Peer> peers = new ArrayList<>();
        for (int i = 0; i < PEERS; i++) {
            SimEventLoop loop = sim.newLoop("p" + i);
            SimTransport t = net.attach(new SimEndpoint(id(i), addresses.get(i), "site"), loop);
            RandomSource random = world.derive("peer-" + i);
            VivaldiService vivaldi = new VivaldiService(VivaldiService.Config.defaults(), random.derive("vivaldi"), loop.clock());
            t.setPiggyback(new VivaldiPiggyback(vivaldi, loop));
            t.addRttListener(vivaldi.rttListener());
            t.setHandler((sender, address, m) -> CompletableFuture.completedFuture(m));
            Peer p = new Peer(t, vivaldi, random);
            peers.add(p);
            int me = i;
            // Ordinary traffic: one request a second to a random other peer (DHT refreshes look like this).
            loop.scheduleAtFixedRate(random.nextInt(1_000), 1_000, () -> {
                int other = p.random.nextInt(PEERS - 1);
                PeerAddress to = addresses.get(other >= me ? other + 1 : other);
                p.transport.request(to, new Ping(other), 2_000);
            });
        }
        sim.checkInvariantsEvery(500, () -> peers.forEach(p -> p.vivaldi.checkInvariants()));
        sim.run(300_000);

        List<Double> errors = new ArrayList<>();
        for (int i = 0; i < PEERS; i++) {
            for (int j = i + 1; j < PEERS; j++) {
                double actual = trueRtt(position.get(addresses.get(i)), position.get(addresses.get(j)));
                double predicted = peers.get(i).vivaldi.local().distanceTo(peers.get(j).vivaldi.local());
                errors.add(Math.abs(predicted - actual) / actual);
            }
        }
        double[] sorted = errors.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    private static double trueRtt(double[] a, double[] b) {
        return Math.hypot(a[0] - b[0], a[1] - b[1]) + 2 * ACCESS_MS;
    }

    private static NodeId id(int i) {
        byte[] b = new byte[NodeId.BYTES];
        b[0] = (byte) (i + 1);
        return NodeId.of(b);
    }
}
