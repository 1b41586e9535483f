package io.starling.scheduler.vivaldi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import io.starling.core.net.NodeId;
import io.starling.core.random.SeededRandom;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** Properties of the Vivaldi code (QuickTheories; see docs/ARCHITECTURE.md "Testing"). */
class VivaldiPropertyTest {
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


    record Sample(int peer, double x, double y, double h, double remoteError, double rttMs) {}

    static Gen<Sample> samples() {
        Gen<Integer> peer = integers().between(0, 7);
        Gen<Double> coord = doubles().between(-1e4, 1e4).mix(arbitrary().pick(0.0, 1e-12, -1e-12), 20);
        Gen<Double> height = doubles().between(0, 500);
        Gen<Double> err = doubles().between(1e-6, 10).mix(arbitrary().pick(0.0, Double.NaN, 1e9), 20);
        Gen<Double> rtt = doubles().between(0, 2000).mix(arbitrary().pick(0.0, 1e-9, 59_999.0, Double.NaN,
                Double.POSITIVE_INFINITY, -5.0, 1e9), 20);
        return in -> new Sample(peer.generate(in), coord.generate(in), coord.generate(in), height.generate(in),
                err.generate(in), rtt.generate(in));
    }

    @Test
    void coordinatesStayFiniteAndErrorInRange() {
        double max = VivaldiConfig.defaults2d().maxError();
        qt().withExamples(200).forAll(lists().of(samples()).ofSizeBetween(0, 300), longs().all()).checkAssert((list, seed) -> {
            VivaldiService svc = new VivaldiService(VivaldiService.Config.defaults(), new SeededRandom(seed), FIXED_CLOCK);
            for (Sample s : list) {
                svc.onSample(peer(s.peer()), Coordinate.of2d(s.x(), s.y(), s.h()), s.remoteError(), s.rttMs());
                svc.checkInvariants();
                assertTrue(svc.local().isFinite());
                assertTrue(svc.error() > 0 && svc.error() <= max, "error " + svc.error());
                assertTrue(svc.local().heightMs() >= 0);
            }
        });
    }

    @Test
    void convergesOnExactlyEmbeddableMatrix() {
        qt().withExamples(8).forAll(longs().all(), integers().between(20, 60)).checkAssert((seed, nodes) -> {
            RttMatrix m = planar(nodes, seed);
            VivaldiReplay replay = new VivaldiReplay(m, VivaldiReplay.Options.defaults(seed)
                    .withNeighbours(Math.min(16, nodes - 1), 0).withRounds(1500));
            VivaldiReplay.Result r = replay.runAll(1, x -> {});
            assertTrue(r.medianRelativeError() < 0.05, "median " + r.medianRelativeError());
        });
    }

    @Test
    void sameSeedSameResult() {
        qt().withExamples(5).forAll(longs().all()).checkAssert(seed -> {
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
        });
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
