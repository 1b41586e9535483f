package io.starling.scheduler.vivaldi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.starling.core.net.NodeId;
import io.starling.core.random.SeededRandom;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class VivaldiPropertyTest {

    record Sample(int peer, double x, double y, double h, double remoteError, double rttMs) {}

    @Provide
    Arbitrary<Sample> samples() {
        Arbitrary<Double> coord = Arbitraries.oneOf(Arbitraries.doubles().between(-1e4, 1e4),
                Arbitraries.of(0.0, 1e-12, -1e-12));
        Arbitrary<Double> rtt = Arbitraries.oneOf(Arbitraries.doubles().between(0, 2000),
                Arbitraries.of(0.0, 1e-9, 59_999.0, Double.NaN, Double.POSITIVE_INFINITY, -5.0, 1e9));
        Arbitrary<Double> err = Arbitraries.oneOf(Arbitraries.doubles().between(1e-6, 10).ofScale(7),
                Arbitraries.of(0.0, Double.NaN, 1e9));
        return Combinators.combine(Arbitraries.integers().between(0, 7), coord, coord,
                Arbitraries.doubles().between(0, 500), err, rtt).as(Sample::new);
    }

    @Property(tries = 200)
    void coordinatesStayFiniteAndErrorInRange(@ForAll @Size(max = 300) List<@net.jqwik.api.From("samples") Sample> samples,
                                              @ForAll long seed) {
        VivaldiService svc = new VivaldiService(VivaldiService.Config.defaults(), new SeededRandom(seed));
        double max = VivaldiConfig.defaults2d().maxError();
        for (Sample s : samples) {
            svc.onSample(peer(s.peer()), Coordinate.of2d(s.x(), s.y(), s.h()), s.remoteError(), s.rttMs());
            svc.checkInvariants();
            assertTrue(svc.local().isFinite());
            assertTrue(svc.error() > 0 && svc.error() <= max, "error " + svc.error());
            assertTrue(svc.local().heightMs() >= 0);
        }
    }

    @Property(tries = 8)
    void convergesOnExactlyEmbeddableMatrix(@ForAll long seed, @ForAll @IntRange(min = 20, max = 60) int nodes) {
        RttMatrix m = planar(nodes, seed);
        VivaldiReplay replay = new VivaldiReplay(m, VivaldiReplay.Options.defaults(seed)
                .withNeighbours(Math.min(16, nodes - 1), 0).withRounds(1500));
        VivaldiReplay.Result r = replay.runAll(1, x -> {});
        assertTrue(r.medianRelativeError() < 0.05, "median " + r.medianRelativeError());
    }

    @Property(tries = 5)
    void sameSeedSameResult(@ForAll long seed) {
        RttMatrix m = planar(30, seed ^ 0x5eed);
        VivaldiReplay.Options o = VivaldiReplay.Options.defaults(seed).withNeighbours(8, 2).withRounds(200);
        VivaldiReplay a = new VivaldiReplay(m, o);
        VivaldiReplay b = new VivaldiReplay(m, o);
        a.run(200);
        b.run(200);
        for (int i = 0; i < m.size(); i++) {
            assertEquals(a.coordinate(i), b.coordinate(i));
        }
        assertEquals(a.evaluate(), b.evaluate());
    }

    /** Random points in a 1000 ms square; RTT = Euclidean distance (+ 1 ms so no pair is 0). */
    static RttMatrix planar(int n, long seed) {
        SeededRandom r = new SeededRandom(seed);
        double[][] p = new double[n][2];
        for (double[] q : p) {
            q[0] = r.nextDouble() * 300;
            q[1] = r.nextDouble() * 300;
        }
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m[i][j] = i == j ? 0 : Math.hypot(p[i][0] - p[j][0], p[i][1] - p[j][1]) + 1;
            }
        }
        return new RttMatrix(m);
    }

    static NodeId peer(int i) {
        byte[] b = new byte[NodeId.BYTES];
        b[0] = (byte) (i + 1);
        return NodeId.of(b);
    }
}
