package io.starling.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code starling simulate}: runs a scenario into a directory; bad scenarios end in one line. */
class SimulateCommandTest {
    private static String stderrOf(Runnable r) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void runsAScenarioAndWritesTheOutputs(@TempDir Path dir) throws Exception {
        Path scenario = dir.resolve("s.yaml");
        Files.writeString(scenario, """
                name: cli
                duration: 20s
                settle: 10s
                sites: [{name: a, superPeers: 1, edgePeers: 2}]
                workload: [{at: 2s, kind: Pod, name: p, usersSite: a}]
                """);
        Path out = dir.resolve("out");
        int[] code = new int[1];
        String err = stderrOf(() -> code[0] = Main.execute("simulate", scenario.toString(), "--seed", "3", "--out", out.toString()));
        assertEquals(0, code[0], err);
        assertTrue(err.contains("simulate cli: seed=3"), err);
        assertTrue(Files.readString(out.resolve("summary.json")).contains("\"lost_acknowledged\" : 0"));
        assertTrue(Files.exists(out.resolve("report.md")) && Files.exists(out.resolve("pods.csv")));
    }

    @Test
    void badScenarioIsOneLine(@TempDir Path dir) throws Exception {
        Path scenario = dir.resolve("bad.yaml");
        Files.writeString(scenario, "duration: 1m\nsites: [{name: a, edgPeers: 3}]\n");
        int[] code = new int[1];
        String err = stderrOf(() -> code[0] = Main.execute("simulate", scenario.toString()));
        assertEquals(1, code[0]);
        assertTrue(err.startsWith("starling: ") && err.contains("unknown field 'edgPeers'"), err);
        assertEquals(1, err.strip().lines().count(), err);
    }
}
