package io.starling.scheduler.vivaldi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.starling.core.net.Piggyback;
import io.starling.core.random.SeededRandom;
import io.starling.core.sim.SimEventLoop;
import io.starling.core.sim.Simulation;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** The coordinate piggyback's wire form and its wiring into {@link VivaldiService}. */
class VivaldiPiggybackTest {

    static Gen<CoordinateStamp> validStamps() {
        return stamps(1, VivaldiPiggyback.MAX_DIMENSIONS);
    }

    static Gen<CoordinateStamp> stamps(int minDims, int maxDims) {
        Gen<Integer> dims = integers().between(minDims, maxDims);
        Gen<Double> component = doubles().between(-1e5, 1e5);
        Gen<Double> height = doubles().between(0, 1e4);
        Gen<Double> error = doubles().between(1e-3, 10);
        return in -> {
            double[] v = new double[dims.generate(in)];
            for (int i = 0; i < v.length; i++) {
                v[i] = component.generate(in);
            }
            return new CoordinateStamp(v, height.generate(in), error.generate(in));
        };
    }

    @Test
    void everyValidStampFitsAPiggybackAndRoundTripsWithinFloatPrecision() {
        qt().withExamples(500).forAll(validStamps()).checkAssert(stamp -> {
            byte[] wire = VivaldiPiggyback.encode(stamp);
            assertTrue(Piggyback.carriable(wire), "fits in " + Piggyback.MAX_BYTES + " bytes: " + wire.length);
            CoordinateStamp back = VivaldiPiggyback.decode(wire).orElseThrow();
            assertEquals(stamp.vector().length, back.vector().length);
            for (int i = 0; i < stamp.vector().length; i++) {
                assertEquals(stamp.vector()[i], back.vector()[i], 1e-6 * Math.max(1, Math.abs(stamp.vector()[i])));
            }
            assertEquals(stamp.heightMs(), back.heightMs(), 1e-6 * Math.max(1, stamp.heightMs()));
            assertEquals(stamp.error(), back.error(), 1e-6 * Math.max(1, stamp.error()));
        });
    }

    @Test
    void stampsTooLargeForAPiggybackAreNotEncoded() {
        qt().withExamples(50).forAll(stamps(VivaldiPiggyback.MAX_DIMENSIONS + 1, CoordinateStamp.MAX_DIMENSIONS))
                .checkAssert(stamp -> assertNull(VivaldiPiggyback.encode(stamp)));
    }

    @Test
    void garbageIsIgnoredNeverThrownAndNeverYieldsAnInvalidCoordinate() {
        Gen<Byte> anyByte = integers().between(-128, 127).map(Integer::byteValue);
        // Mostly well-sized 2-D frames, so the float checks are reached, not only the length check.
        Gen<Byte> header = arbitrary().pick((byte) 2, (byte) 2, (byte) 0, (byte) -1, (byte) 17, (byte) 3);
        Gen<List<Byte>> bodies = lists().of(anyByte).ofSizeBetween(0, 70).mix(lists().of(anyByte).ofSize(16), 70);
        qt().withExamples(2_000).forAll(header, bodies).checkAssert((h, body) -> {
            byte[] data = new byte[body.size() + 1];
            data[0] = h;
            for (int i = 0; i < body.size(); i++) {
                data[i + 1] = body.get(i);
            }
            Optional<CoordinateStamp> stamp = VivaldiPiggyback.decode(data);
            stamp.ifPresent(s -> assertTrue(s.toState().isPresent()));
            VivaldiService svc = new VivaldiService(VivaldiService.Config.defaults(), new SeededRandom(1),
                    VivaldiPropertyTest.FIXED_CLOCK);
            Simulation sim = new Simulation();
            VivaldiPiggyback pb = new VivaldiPiggyback(svc, sim.newLoop("p"));
            pb.incoming(VivaldiPropertyTest.peer(0), data);
            sim.run(1);
            svc.onRtt(VivaldiPropertyTest.peer(0), 50);
            svc.checkInvariants();
        });
        assertTrue(VivaldiPiggyback.decode(null).isEmpty());
        assertTrue(VivaldiPiggyback.decode(new byte[0]).isEmpty());
    }

    @Test
    void remoteCoordinateFromThePiggybackDrivesTheNextRttSample() {
        Simulation sim = new Simulation();
        SimEventLoop loop = sim.newLoop("p");
        VivaldiService svc = new VivaldiService(VivaldiService.Config.defaults(), new SeededRandom(3), sim.clock());
        VivaldiPiggyback pb = new VivaldiPiggyback(svc, loop);
        byte[] remote = VivaldiPiggyback.encode(new CoordinateStamp(new double[] {100, 0}, 0, 0.1));
        loop.schedule(0, () -> {
            svc.onRtt(VivaldiPropertyTest.peer(1), 100); // no coordinate heard yet: ignored
            assertEquals(0, svc.samples());
            pb.incoming(VivaldiPropertyTest.peer(1), remote);
            svc.onRtt(VivaldiPropertyTest.peer(1), 100);
            assertEquals(1, svc.samples());
            // On the loop the outgoing bytes are the service's current stamp.
            Coordinate sent = VivaldiPiggyback.decode(pb.outgoing()).orElseThrow().toState().orElseThrow().coordinate();
            assertTrue(sent.euclidean(svc.local()) < 1e-3 && Math.abs(sent.heightMs() - svc.local().heightMs()) < 1e-3,
                    sent + " vs " + svc.local());
        });
        sim.run(1);
        assertEquals(1, svc.samples());
    }

    @Test
    void offLoopCallersGetTheLastSnapshotAndTheirInputIsPostedToTheLoop() {
        Simulation sim = new Simulation();
        SimEventLoop loop = sim.newLoop("p");
        VivaldiService svc = new VivaldiService(VivaldiService.Config.defaults(), new SeededRandom(3), sim.clock());
        VivaldiPiggyback pb = new VivaldiPiggyback(svc, loop);
        assertNull(pb.outgoing(), "nothing encoded on the loop yet");
        byte[][] onLoop = new byte[1][];
        loop.schedule(0, () -> onLoop[0] = pb.outgoing());
        sim.run(1);
        assertNotNull(onLoop[0]);
        assertTrue(pb.outgoing() == onLoop[0], "the snapshot taken on the loop");
        pb.incoming(VivaldiPropertyTest.peer(1), VivaldiPiggyback.encode(new CoordinateStamp(new double[] {100, 0}, 0, 0.1)));
        loop.schedule(0, () -> svc.onRtt(VivaldiPropertyTest.peer(1), 100));
        sim.run(2);
        assertEquals(1, svc.samples(), "the posted coordinate was remembered before the sample");
    }

    @Test
    void publicationSkipsJitterButFollowsRealMoves() {
        Simulation sim = new Simulation();
        VivaldiService svc = new VivaldiService(VivaldiService.Config.defaults(), new SeededRandom(5), sim.clock());
        CoordinatePublication pub = new CoordinatePublication(CoordinatePublication.DEFAULT_MIN_ERROR_CHANGE);
        String first = pub.next(svc);
        assertEquals(svc.annotation(), first);
        assertNull(pub.next(svc), "nothing changed");
        for (int i = 0; i < 200; i++) {
            svc.onSample(VivaldiPropertyTest.peer(i % 4), Coordinate.of2d(300 * (i % 4), 0, 0), 0.05, 150 + 100 * (i % 4));
        }
        String moved = pub.next(svc);
        assertNotNull(moved);
        assertTrue(!moved.equals(first));
        assertNull(pub.next(svc));
    }
}
