package io.starling.scheduler.vivaldi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.starling.core.random.SeededRandom;
import io.starling.core.sim.Simulation;
import org.junit.jupiter.api.Test;

/** The coordinate annotation is rewritten on meaningful changes, but at most once per interval. */
class CoordinatePublicationTest {
    private final Simulation sim = new Simulation();
    private final VivaldiService svc = new VivaldiService(VivaldiService.Config.defaults(), new SeededRandom(5), sim.clock());

    /** Samples that move the coordinate for real (peers 300 ms apart, RTTs growing each round). */
    private void move(int round) {
        for (int i = 0; i < 50; i++) {
            svc.onSample(VivaldiPropertyTest.peer(i % 4), Coordinate.of2d(300 * (i % 4), 0, 0), 0.05,
                    150 + 100 * (i % 4) + 40 * round);
        }
    }

    @Test
    void aSettlingCoordinateIsWrittenAtMostOncePerInterval() {
        CoordinatePublication pub = new CoordinatePublication(CoordinatePublication.DEFAULT_MIN_ERROR_CHANGE, 60_000);
        CoordinatePublication unlimited = new CoordinatePublication(CoordinatePublication.DEFAULT_MIN_ERROR_CHANGE);
        assertNotNull(pub.next(svc, 0), "the first value is published at once");
        unlimited.next(svc);
        int writes = 1;
        int unlimitedWrites = 1;
        // the peer keeps learning every 5 s for five minutes: without the interval each step would be a write
        for (int step = 1; step <= 60; step++) {
            move(step);
            if (pub.next(svc, step * 5_000L) != null) {
                writes++;
            }
            if (unlimited.next(svc) != null) {
                unlimitedWrites++;
            }
        }
        assertTrue(unlimitedWrites > 30, "the samples do move the coordinate: " + unlimitedWrites);
        assertEquals(6, writes, "0 s, then once a minute");
    }

    @Test
    void anUnchangedCoordinateIsNotRewrittenAfterTheInterval() {
        CoordinatePublication pub = new CoordinatePublication(CoordinatePublication.DEFAULT_MIN_ERROR_CHANGE, 60_000);
        assertNotNull(pub.next(svc, 0));
        assertNull(pub.next(svc, 600_000));
        move(1);
        assertNotNull(pub.next(svc, 600_005), "a real move after the interval is published");
    }
}
