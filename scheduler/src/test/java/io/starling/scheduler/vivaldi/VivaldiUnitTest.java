package io.starling.scheduler.vivaldi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.starling.core.random.SeededRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class VivaldiUnitTest {
    /** Time stands still: all neighbours are equally recent. */
    static final io.starling.core.time.Clock FIXED_CLOCK = new io.starling.core.time.Clock() {
        @Override
        public long wallMillis() {
            return 0;
        }

        @Override
        public long monoNanos() {
            return 0;
        }
    };


    @Test
    void predictedRttIsDistancePlusHeights() {
        Coordinate a = Coordinate.of2d(0, 0, 5);
        Coordinate b = Coordinate.of2d(30, 40, 10);
        assertEquals(65.0, VivaldiNode.predictRtt(a, b), 1e-9);
        assertEquals(VivaldiNode.predictRtt(b, a), VivaldiNode.predictRtt(a, b), 1e-12);
    }

    @Test
    void sampleMovesCoordinateTowardsMeasuredRtt() {
        VivaldiNode node = new VivaldiNode(VivaldiConfig.defaults2d(), new SeededRandom(1));
        VivaldiState s = new VivaldiState(Coordinate.of2d(10, 0, 1), 0.5);
        Coordinate remote = Coordinate.of2d(0, 0, 1);
        double before = Math.abs(s.coordinate().distanceTo(remote) - 100);
        VivaldiState after = node.update(s, remote, 0.5, 100);
        assertTrue(Math.abs(after.coordinate().distanceTo(remote) - 100) < before);
        assertTrue(after.coordinate().component(0) > 10, "pushed away from a node that is too close");
    }

    @Test
    void coincidentNodesSeparateInRandomButSeededDirection() {
        VivaldiState fresh = VivaldiState.initial(VivaldiConfig.defaults2d());
        Coordinate origin = fresh.coordinate();
        VivaldiState a = new VivaldiNode(VivaldiConfig.defaults2d(), new SeededRandom(7)).update(fresh, origin, 1, 50);
        VivaldiState b = new VivaldiNode(VivaldiConfig.defaults2d(), new SeededRandom(7)).update(fresh, origin, 1, 50);
        assertEquals(a, b);
        assertTrue(a.coordinate().euclidean(origin) > 1);
    }

    @Test
    void rttListenerUsesTheCoordinateThePeerLastSent() {
        VivaldiService svc = new VivaldiService(VivaldiService.Config.defaults(), new SeededRandom(5), FIXED_CLOCK);
        io.starling.core.net.NodeId peer = VivaldiPropertyTest.peer(1);
        svc.rttListener().onRtt(peer, null, 80);
        assertEquals(0, svc.samples(), "no coordinate known yet: nothing to learn from");
        svc.rememberRemote(peer, new CoordinateStamp(new double[] {0, 0}, 0.01, 0.2));
        svc.rememberRemote(VivaldiPropertyTest.peer(2), new CoordinateStamp(new double[] {Double.NaN, 0}, 1, 0.2));
        svc.rememberRemote(VivaldiPropertyTest.peer(3), new CoordinateStamp(new double[40], 1, 0.2));
        for (int i = 0; i < 300; i++) {
            svc.rttListener().onRtt(peer, null, 80);
            svc.rttListener().onRtt(VivaldiPropertyTest.peer(2), null, 5);
            svc.rttListener().onRtt(VivaldiPropertyTest.peer(3), null, 5);
        }
        assertEquals(300, svc.samples(), "malformed stamps were ignored");
        assertEquals(80, svc.local().distanceTo(Coordinate.of2d(0, 0, 0.01)), 2);
        VivaldiState back = svc.stamp().toState().orElseThrow();
        assertEquals(svc.state(), back);
    }

    @Test
    void neighbourDecayDampsOneInconsistentNeighbour() {
        double[] moved = new double[2];
        for (int variant = 0; variant < 2; variant++) {
            VivaldiService.Config cfg = VivaldiService.Config.defaults().withNeighbourDecay(variant == 0 ? 0 : 60_000);
            VivaldiService svc = new VivaldiService(cfg, new SeededRandom(9), FIXED_CLOCK);
            Coordinate[] around = {Coordinate.of2d(50, 0, 0.01), Coordinate.of2d(-50, 0, 0.01),
                Coordinate.of2d(0, 50, 0.01), Coordinate.of2d(0, -50, 0.01)};
            for (int i = 0; i < 400; i++) {
                for (int k = 0; k < around.length; k++) {
                    svc.onSample(VivaldiPropertyTest.peer(k), around[k], 0.05, 50);
                }
            }
            Coordinate before = svc.local();
            // a new neighbour sitting right on top of us claims 300 ms
            svc.onSample(VivaldiPropertyTest.peer(9), Coordinate.of2d(before.component(0) + 1, before.component(1), 0.01), 0.05, 300);
            moved[variant] = svc.local().euclidean(before);
        }
        assertTrue(moved[1] < moved[0] / 2, "decay " + moved[1] + " vs plain " + moved[0]);
    }

    @Test
    void latencyFilterDropsASingleSpike() {
        LatencyFilter f = new LatencyFilter(4, 0.25);
        f.add(50);
        f.add(51);
        f.add(52);
        assertEquals(51, f.add(5000), 1e-9);
    }

    @Test
    void serviceIgnoresSpikeThroughFilter() {
        VivaldiService svc = new VivaldiService(VivaldiService.Config.defaults(), new SeededRandom(3), FIXED_CLOCK);
        Coordinate remote = Coordinate.of2d(0, 0, 0.01);
        for (int i = 0; i < 200; i++) {
            svc.onSample(VivaldiPropertyTest.peer(1), remote, 0.1, 40);
        }
        double settled = svc.local().distanceTo(remote);
        svc.onSample(VivaldiPropertyTest.peer(1), remote, 0.1, 4000);
        assertEquals(settled, svc.local().distanceTo(remote), 2.0);
        assertEquals(40, settled, 2.0);
    }

    @Test
    void stableCoordinateIgnoresJitterButFollowsRealMoves() {
        VivaldiService svc = new VivaldiService(VivaldiService.Config.defaults(), new SeededRandom(4), FIXED_CLOCK);
        Coordinate a = Coordinate.of2d(0, 0, 0.01);
        Coordinate b = Coordinate.of2d(100, 0, 0.01);
        for (int i = 0; i < 400; i++) {
            svc.onSample(VivaldiPropertyTest.peer(1), a, 0.05, 50);
            svc.onSample(VivaldiPropertyTest.peer(2), b, 0.05, 50);
        }
        Coordinate stable = svc.stable();
        svc.onSample(VivaldiPropertyTest.peer(1), a, 0.05, 52);
        assertEquals(stable, svc.stable(), "a small jiggle does not move the stable coordinate");
        for (int i = 0; i < 400; i++) {
            svc.onSample(VivaldiPropertyTest.peer(3), a, 0.05, 50);
            svc.onSample(VivaldiPropertyTest.peer(4), b, 0.05, 150);
        }
        assertTrue(svc.stable().euclidean(stable) > 10, "a real move is followed: " + svc.stable() + " vs " + stable);
    }

    @Test
    void annotationRoundTripsAndRejectsGarbage() {
        VivaldiState s = new VivaldiState(Coordinate.of2d(12.5, -3.25, 4), 0.125);
        String text = CoordinateFormat.formatState(s);
        assertEquals("12.500,-3.250,4.000,0.125", text);
        assertEquals(s, CoordinateFormat.parseState(text));
        assertEquals(Coordinate.of2d(1, 2, 3), CoordinateFormat.parseCoordinate(" 1, 2 ,3"));
        assertEquals(3, CoordinateFormat.parseCoordinate("1,2,3,4").dimensions());
        for (String bad : new String[] {"", "1,2", "a,b,c,d", "1,2,-3,0.5", "1,2,3,0", "1,NaN,3,0.5", "1,2,Infinity,0.5"}) {
            assertThrows(IllegalArgumentException.class, () -> CoordinateFormat.parseState(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> CoordinateFormat.parseState(null));
    }

    @Test
    void matrixParsesCsvWithHeadersAndMissingEntries() {
        RttMatrix m = RttMatrix.parse(List.of(
                "host,a,b,c",
                "a,0,10,",
                "b,10,0,-1",
                "c,NaN,20.5,0"), "test");
        assertEquals(3, m.size());
        assertEquals(10, m.rtt(0, 1), 0);
        assertTrue(!m.known(0, 2) && !m.known(1, 2) && !m.known(2, 0));
        assertEquals(20.5, m.rtt(2, 1), 0);
        RttMatrix tsv = RttMatrix.parse(List.of("0\t5", "5\t0"), "tsv");
        assertEquals(5, tsv.rtt(1, 0), 0);
        assertThrows(IllegalArgumentException.class, () -> RttMatrix.parse(List.of("0,1,2", "1,0"), "ragged"));
        assertThrows(IllegalArgumentException.class, () -> RttMatrix.parse(List.of(), "empty"));
    }

    @Test
    void replaySkipsMissingPairs() {
        double[][] raw = VivaldiPropertyTest.planar(10, 9).rtt(0, 1) > 0 ? new double[10][10] : null;
        RttMatrix planar = VivaldiPropertyTest.planar(10, 9);
        for (int i = 0; i < 10; i++) {
            for (int j = 0; j < 10; j++) {
                raw[i][j] = (i + j) % 3 == 0 && i != j ? Double.NaN : planar.rtt(i, j);
            }
        }
        VivaldiReplay replay = new VivaldiReplay(new RttMatrix(raw), VivaldiReplay.Options.defaults(1).withNeighbours(4, 1).withRounds(300));
        VivaldiReplay.Result r = replay.runAll(1, x -> {});
        assertTrue(r.pairs() > 0 && r.pairs() < 90);
        assertTrue(Double.isFinite(r.medianRelativeError()));
    }
}
