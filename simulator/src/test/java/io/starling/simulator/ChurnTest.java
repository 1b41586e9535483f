package io.starling.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.starling.simulator.scenario.Plan;
import io.starling.simulator.scenario.ScenarioLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Edge peers crash, leave and join at the scenario's rates; acknowledged writes survive it. */
class ChurnTest {
    static {
        QuietLogs.install();
    }

    @Test
    void edgePeersComeAndGo() {
        Plan plan = ScenarioLoader.parse("""
                name: churn
                duration: 2m
                settle: 30s
                sites:
                  - {name: a, superPeers: 2, edgePeers: 6}
                  - {name: b, superPeers: 1, edgePeers: 4}
                links: {lanRttMs: 0.5, wanRttMs: 10}
                workload:
                  - {at: 5s, name: web, replicas: 3, usersSite: a}
                churn: {crashPerPeerHour: 30, leavePerPeerHour: 30, joinPerHour: 240, start: 20s, end: 100s}
                probes: {lookupsPerMinute: 30, writesPerMinute: 30, vivaldiPairs: 100}
                """, "churn.yaml", null);
        SimulationResult r = new Simulator(plan, 3).run(null);
        String s = new String(OutputWriter.summaryJson(r));
        List<String> events = r.tables().get("events.csv");
        assertTrue(events.stream().anyMatch(e -> e.contains(",edge-crash,")), events.toString());
        assertTrue(events.stream().anyMatch(e -> e.contains(",edge-leave,")), events.toString());
        assertTrue(events.stream().anyMatch(e -> e.contains(",edge-join,")), events.toString());
        assertTrue(((Number) r.get("scenario", "edge_peers_total")).intValue() > 10, s);
        assertEquals(0, r.get("writes", "lost_acknowledged"), s);
        assertEquals(1.0, ((Number) r.get("dht_lookups", "success")).doubleValue(), s);
    }
}
