package io.starling.cli.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.starling.core.net.Message;
import io.starling.core.net.NodeId;
import io.starling.core.net.PeerAddress;
import io.starling.core.random.SeededRandom;
import io.starling.core.sim.LatencyModel;
import io.starling.core.sim.SimEndpoint;
import io.starling.core.sim.SimEventLoop;
import io.starling.core.sim.SimNetwork;
import io.starling.core.sim.SimTransport;
import io.starling.core.sim.Simulation;
import io.starling.scheduler.vivaldi.CoordinateFormat;
import io.starling.scheduler.vivaldi.VivaldiState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A peer's coordinates follow its ordinary traffic and reach the Node annotation sink sparingly. */
class PeerCoordinatesTest {
    record Ping(int n) implements Message {}

    private static NodeId id(int i) {
        byte[] b = new byte[NodeId.BYTES];
        b[0] = (byte) (i + 1);
        return NodeId.of(b);
    }

    @Test
    void coordinatesFromOrdinaryTrafficArePublishedOnlyWhenTheyChange() {
        Simulation sim = new Simulation();
        double[][] at = {{0, 0}, {80, 0}, {0, 60}};
        SimNetwork net = new SimNetwork(sim, new SeededRandom(4), (from, to, random) -> {
            double[] a = at[from.address().port() - 1], b = at[to.address().port() - 1];
            return Math.hypot(a[0] - b[0], a[1] - b[1]) / 2;
        });
        List<SimTransport> transports = new ArrayList<>();
        List<SimEventLoop> loops = new ArrayList<>();
        List<PeerCoordinates> coords = new ArrayList<>();
        List<List<String>> published = new ArrayList<>();
        for (int i = 0; i < at.length; i++) {
            SimEventLoop loop = sim.newLoop("p" + i);
            SimTransport t = net.attach(new SimEndpoint(id(i), new PeerAddress("peer", i + 1), "s"), loop);
            t.setHandler((sender, address, m) -> CompletableFuture.completedFuture(m));
            PeerCoordinates c = PeerCoordinates.install(t, loop, new SeededRandom(100 + i));
            List<String> sink = new ArrayList<>();
            if (i > 0) { // peer 0 plays a super-peer without a runtime: no Node, coordinates all the same
                c.publishTo(a -> {
                    assertTrue(loop.inEventLoop(), "published on the peer's loop");
                    assertEquals(0, sim.nowMillis() % io.starling.scheduler.vivaldi.PeerVivaldi.PUBLISH_PERIOD_MILLIS, "on the period");
                    sink.add(a);
                });
            }
            transports.add(t);
            loops.add(loop);
            coords.add(c);
            published.add(sink);
        }
        for (int i = 0; i < at.length; i++) {
            SimTransport t = transports.get(i);
            PeerAddress next = transports.get((i + 1) % at.length).localAddress();
            PeerAddress prev = transports.get((i + 2) % at.length).localAddress();
            int[] n = {0};
            // One request per 500 ms on the peer's loop, alternating neighbours, as DHT maintenance would send.
            loops.get(i).scheduleAtFixedRate(0, 500, () -> t.request(n[0]++ % 2 == 0 ? next : prev, new Ping(n[0]), 1_000));
        }
        sim.run(300_000);

        assertTrue(published.get(0).isEmpty());
        for (int i = 1; i < at.length; i++) {
            List<String> sink = published.get(i);
            assertTrue(!sink.isEmpty(), "peer " + i + " published its coordinates");
            assertTrue(sink.size() < 300_000 / io.starling.scheduler.vivaldi.PeerVivaldi.PUBLISH_PERIOD_MILLIS / 2,
                    "peer " + i + " rewrote its Node " + sink.size() + " times in 60 periods");
            for (int k = 1; k < sink.size(); k++) {
                assertTrue(!sink.get(k).equals(sink.get(k - 1)), "no identical rewrite");
            }
            CoordinateFormat.parseState(sink.get(sink.size() - 1));
        }
        // Everyone converged, the unpublished peer included: predicted RTTs within 10% of the truth.
        for (int i = 0; i < at.length; i++) {
            for (int j = i + 1; j < at.length; j++) {
                double actual = Math.hypot(at[i][0] - at[j][0], at[i][1] - at[j][1]);
                double predicted = coords.get(i).vivaldi().local().distanceTo(coords.get(j).vivaldi().local());
                assertTrue(Math.abs(predicted - actual) / actual < 0.1, i + "-" + j + ": " + predicted + " vs " + actual);
            }
        }
        VivaldiState last = CoordinateFormat.parseState(published.get(1).get(published.get(1).size() - 1));
        assertTrue(last.error() < 0.5, "published error estimate " + last.error());
    }
}
