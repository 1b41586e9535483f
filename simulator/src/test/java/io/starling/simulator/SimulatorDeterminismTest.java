package io.starling.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.starling.simulator.scenario.Plan;
import io.starling.simulator.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** One scenario and seed give the same summary.json, byte for byte; another seed gives another. */
class SimulatorDeterminismTest {
    static {
        QuietLogs.install();
    }

    static Plan tiny() throws Exception {
        return ScenarioLoader.load(Path.of(SimulatorDeterminismTest.class.getResource("/tiny.yaml").toURI()));
    }

    @Test
    void sameSeedSameSummaryOtherSeedDifferent() throws Exception {
        Plan plan = tiny();
        byte[] a = OutputWriter.summaryJson(new Simulator(plan, 7).run(null));
        byte[] b = OutputWriter.summaryJson(new Simulator(plan, 7).run(null));
        assertArrayEquals(a, b, "seed 7 twice");
        byte[] c = OutputWriter.summaryJson(new Simulator(plan, 8).run(null));
        assertFalse(Arrays.equals(a, c), "seed 8 must differ from seed 7");
        SimulationResult r = new Simulator(plan, 7).run(null);
        assertEquals(0, r.get("writes", "lost_acknowledged"));
    }
}
