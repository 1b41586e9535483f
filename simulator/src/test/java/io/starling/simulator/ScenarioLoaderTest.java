package io.starling.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.starling.simulator.scenario.Plan;
import io.starling.simulator.scenario.ScenarioException;
import io.starling.simulator.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scenario files: the shipped ones parse, bad ones fail with one clear line. */
class ScenarioLoaderTest {
    private static Plan parse(String yaml) {
        return ScenarioLoader.parse(yaml, "test.yaml", null);
    }

    private static String failure(String yaml) {
        ScenarioException e = assertThrows(ScenarioException.class, () -> parse(yaml));
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void shippedScenariosParse() {
        Plan das5 = ScenarioLoader.load(Path.of("scenarios/das5.yaml"));
        assertEquals(6, das5.sites().size());
        assertEquals(68 + 24 + 18 + 48 + 31 + 9, das5.totalPeers());
        Plan pi = ScenarioLoader.load(Path.of("scenarios/pi-farm.yaml"));
        assertEquals(4, pi.sites().size());
        assertTrue(pi.totalPeers() >= 100, "100+ Pis");
        assertEquals(512, pi.sites().get(0).memoryMiB());
    }

    @Test
    void groupsExpandAndSpreadEdgePeers() {
        Plan p = parse("duration: 1m\nsites:\n  - {name: pl, count: 3, edgePeersTotal: 10}\n");
        assertEquals(3, p.sites().size());
        assertEquals("pl-000", p.sites().get(0).name());
        assertEquals(4, p.sites().get(0).edgePeers());
        assertEquals(3, p.sites().get(2).edgePeers());
        assertEquals(13, p.totalPeers());
    }

    @Test
    void edgePeersOfASiteTakeMixedCapacitiesInTurn() {
        Plan p = parse("""
                duration: 1m
                sites:
                  - {name: rack, edgePeers: 3, capacities: [{cpuMillis: 700, memoryMiB: 512, pods: 4}, {cpuMillis: 4000}]}
                """);
        Plan.SitePlan rack = p.sites().get(0);
        assertEquals(new Plan.EdgeCapacity(700, 512, 4), rack.edgeCapacity(0));
        assertEquals(new Plan.EdgeCapacity(4000, 4096, 110), rack.edgeCapacity(1), "unset values take the defaults");
        assertEquals(new Plan.EdgeCapacity(700, 512, 4), rack.edgeCapacity(2));
        assertEquals(new Plan.EdgeCapacity(4000, 4096, 110), parse("duration: 1m\nsites: [{name: a}]\n").sites().get(0).edgeCapacity(5));
        assertTrue(failure("duration: 1m\nsites: [{name: a, capacity: {pods: 2}, capacities: [{pods: 3}]}]\n")
                .contains("give capacity or capacities, not both"));
        assertTrue(failure("duration: 1m\nsites: [{name: a, capacities: []}]\n").contains("at least one entry"));
        assertTrue(failure("duration: 1m\nsites: [{name: a, capacities: [{pods: 0}]}]\n").contains("must be positive"));
    }

    @Test
    void uplinkBandwidthIsOptional() {
        assertEquals(0.0, parse("duration: 1m\nsites: [{name: a}]\n").links().bandwidthMbps(), "unlimited by default");
        assertEquals(100.0, parse("duration: 1m\nsites: [{name: a}]\nlinks: {bandwidthMbps: 100}\n").links().bandwidthMbps());
        assertTrue(failure("duration: 1m\nsites: [{name: a}]\nlinks: {bandwidthMbps: -1}\n").contains("links.bandwidthMbps"));
    }

    @Test
    void durationsAndWorkloadRepetition() {
        Plan p = parse("""
                duration: 1h
                sites: [{name: a}, {name: b}]
                workload:
                  - {at: 90s, name: web, count: 3, interval: 500ms, usersSite: "*"}
                """);
        assertEquals(3_600_000, p.durationMillis());
        assertEquals(3, p.workload().size());
        assertEquals(90_500, p.workload().get(1).atMillis());
        assertEquals("web-1", p.workload().get(1).name());
        assertEquals("b", p.workload().get(1).usersSite());
    }

    @Test
    void badInputGivesOneClearLine() {
        assertTrue(failure("duration: 1m\nsites: [{name: a, superPeers: 1\n").startsWith("test.yaml line"), "syntax error names the line");
        assertTrue(failure("duration: 1m\nsites: [{name: a, edgPeers: 3}]\n").contains("unknown field 'edgPeers'"));
        assertTrue(failure("sites: [{name: a}]\n").contains("'duration' is required"));
        assertTrue(failure("duration: soon\nsites: [{name: a}]\n").contains("not a duration"));
        assertTrue(failure("duration: 1m\nsites: [{name: a}]\nworkload: [{name: w, usersSite: z}]\n").contains("usersSite 'z' is not a site"));
        assertTrue(failure("duration: 1m\nsites: [{name: a}]\npartitions: [{at: 2m, heal: 1m, sites: [a]}]\n").contains("later 'heal'"));
        assertTrue(failure("duration: 1m\nsites: [{name: a}]\nlinks: {rttMatrix: no/such/matrix.tsv}\n")
                .contains("RTT matrix file not found: no/such/matrix.tsv"));
    }

    @Test
    void matrixIsReadRelativeToTheScenario(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("m.tsv"), "0\t10\t30\n10\t0\t20\n30\t20\t0\n");
        Path scenario = dir.resolve("s.yaml");
        Files.writeString(scenario, "duration: 1m\nsites: [{name: x, count: 3}]\nlinks: {rttMatrix: m.tsv}\n");
        Plan p = ScenarioLoader.load(scenario);
        SiteLatency l = new SiteLatency(p);
        assertEquals(20.0, l.rttMillis("x-001", "x-002"));
        assertEquals(0.2, l.rttMillis("x-001", "x-001"));
        assertTrue(failure("duration: 1m\nsites: [{name: x, count: 4}]\nlinks: {rttMatrix: " + dir.resolve("m.tsv") + "}\n")
                .contains("has 3 rows"));
    }

    @Test
    void missingFileIsClear() {
        ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.load(Path.of("nope.yaml")));
        assertEquals("scenario file not found: nope.yaml", e.getMessage());
    }
}
