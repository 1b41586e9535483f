package io.starling.scheduler.spill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.starling.scheduler.placement.NodeInfo;
import io.starling.scheduler.placement.PodInfo;
import io.starling.scheduler.placement.ResourceAmounts;
import io.starling.scheduler.vivaldi.Coordinate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SpillTest {
    private static final ResourceAmounts ONE_CPU = new ResourceAmounts(1000, 1L << 30, 1);

    private static SiteSummary summary(String site, long freeCpu, long maxNodeCpu, Coordinate centroid, long at) {
        return new SiteSummary(site, new ResourceAmounts(freeCpu, 64L << 30, 100), maxNodeCpu, 64L << 30, 2, centroid, at);
    }

    @Test
    void choosesTheNearestFreshSiteThatFits() {
        Coordinate users = Coordinate.of2d(0, 0, 0);
        List<SiteSummary> all = List.of(
                summary("own", 8000, 8000, Coordinate.of2d(0, 0, 1), 1000),
                summary("near-full", 500, 500, Coordinate.of2d(10, 0, 1), 1000),
                summary("near-fragmented", 4000, 800, Coordinate.of2d(12, 0, 1), 1000),
                summary("near-stale", 8000, 8000, Coordinate.of2d(15, 0, 1), 1),
                summary("mid", 8000, 8000, Coordinate.of2d(50, 0, 1), 1000),
                summary("far", 8000, 8000, Coordinate.of2d(300, 0, 1), 1000),
                summary("unknown-position", 8000, 8000, null, 1000));
        Optional<SpillPlanner.Choice> c = SpillPlanner.choose(ONE_CPU, "own", users, all, Set.of(), 1500, 1000);
        assertEquals("mid", c.orElseThrow().site());
        assertEquals(51.0, c.get().predictedRttMs(), 1e-9);
        assertEquals("far", SpillPlanner.choose(ONE_CPU, "own", users, all, Set.of("mid"), 1500, 1000).orElseThrow().site());
        assertEquals("unknown-position", SpillPlanner.choose(ONE_CPU, "own", users, all, Set.of("mid", "far"), 1500, 1000)
                .orElseThrow().site(), "a site without a centroid is still better than nothing");
        assertTrue(SpillPlanner.choose(new ResourceAmounts(99_000, 0, 1), "own", users, all, Set.of(), 1500, 1000).isEmpty());
    }

    @Test
    void summaryCountsOnlySchedulableNodesAndRoundTripsThroughConfigMap() {
        NodeInfo a = new NodeInfo("a", "S", null, null, false, true, new ResourceAmounts(2000, 4L << 30, 10), Coordinate.of2d(0, 0, 1));
        NodeInfo b = new NodeInfo("b", "S", null, null, false, true, new ResourceAmounts(4000, 8L << 30, 10), Coordinate.of2d(10, 0, 3));
        NodeInfo cordoned = new NodeInfo("c", "S", null, null, true, true, new ResourceAmounts(64000, 1L << 40, 10), null);
        NodeInfo notReady = new NodeInfo("d", "S", null, null, false, false, new ResourceAmounts(64000, 1L << 40, 10), null);
        PodInfo onB = new PodInfo("ns", "p", new TreeMap<>(), "b", new ResourceAmounts(3000, 1L << 30, 1), null, null, null, null, "", false);
        SiteSummary s = SiteSummary.compute("S", List.of(b, cordoned, a, notReady), List.of(onB), 42);
        assertEquals(new ResourceAmounts(3000, 11L << 30, 19), s.free());
        assertEquals(2000, s.maxNodeFreeMilliCpu());
        assertEquals(2, s.schedulableNodes());
        assertEquals(Coordinate.of2d(5, 0, 2), s.centroid());
        SiteSummary back = SiteSummary.fromConfigMap(s.toConfigMap()).orElseThrow();
        assertEquals(s, back);
        assertEquals("starling-site-S", s.toConfigMap().getMetadata().getName());
        var broken = s.toConfigMap();
        broken.getData().put("freeMilliCpu", "lots");
        assertTrue(SiteSummary.fromConfigMap(broken).isEmpty());
    }
}
