package io.starling.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.starling.simulator.scenario.Plan;
import io.starling.simulator.scenario.ScenarioLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The das5 and pi-farm testbeds in a reduced form (fewer peers, shorter), with the guarantees a
 * user relies on checked on the summary.
 */
class TestbedScenariosTest {
    static {
        QuietLogs.install();
    }

    private static double d(Object o) {
        return ((Number) o).doubleValue();
    }

    @Test
    void das5Reduced() {
        Plan plan = ScenarioLoader.load(Path.of("scenarios/das5.yaml")).scaled(0.15).withDuration(150_000);
        SimulationResult r = new Simulator(plan, 11).run(null);
        String s = new String(OutputWriter.summaryJson(r));
        assertEquals(0, r.get("writes", "lost_acknowledged"), s);
        assertEquals(0, r.get("writes", "unverified_read_failed"), s);
        assertEquals(1.0, d(r.get("dht_lookups", "success")), s);
        assertEquals(Boolean.TRUE, r.get("pods", "all_running"), s);
        // 12 Deployments x 4 replicas + 10 Pods, all with users at their home site
        assertEquals(58, r.get("pods", "live"), s);
        assertTrue(d(r.get("pods", "locality_users_site")) > 0.9, s);
        assertTrue(d(r.get("pods", "startup_latency", "create_to_observed_ms", "p99")) < 1_000, s);
        assertEquals(0L, r.get("run", "event_failures"), s);
    }

    @Test
    void piFarmReducedWithChurnPartitionAndSuperPeerCrash() {
        Plan plan = ScenarioLoader.load(Path.of("scenarios/pi-farm.yaml")).scaled(0.3);
        SimulationResult r = new Simulator(plan, 5).run(null);
        String s = new String(OutputWriter.summaryJson(r));
        assertEquals(0, r.get("writes", "lost_acknowledged"), s);
        assertTrue(d(r.get("writes", "acknowledged")) > 100, s);
        assertTrue(d(r.get("pods", "running")) > 0, s);
        assertTrue(r.get("convergence_after_heal_s", "rack-000@240s") instanceof Number, s);
    }
}
