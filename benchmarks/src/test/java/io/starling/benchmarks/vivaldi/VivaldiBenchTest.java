package io.starling.benchmarks.vivaldi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VivaldiBenchTest {

    @Test
    void replaysACsvMatrixAndEndsWithTheSummaryLine(@TempDir Path dir) throws Exception {
        // 4 hosts on a line 10 ms apart, CSV with header row and column, one missing entry
        Path m = dir.resolve("m.csv");
        Files.writeString(m, String.join("\n",
                "host,a,b,c,d",
                "a,0,10,20,30",
                "b,10,0,10,",
                "c,20,10,0,10",
                "d,30,-1,10,0"), StandardCharsets.UTF_8);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc = new VivaldiBench(false).run(List.of("--matrix", m.toString(), "--rounds", "400", "--seed", "7"),
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        String[] lines = buf.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertEquals(0, rc);
        String last = lines[lines.length - 1];
        assertTrue(last.matches("vivaldi nodes=4 median_rel_err=\\d+\\.\\d{3} p90_rel_err=\\d+\\.\\d{3}"), last);
    }

    @Test
    void badOptionsGiveAClearErrorNotACrash(@TempDir Path dir) throws Exception {
        for (List<String> args : List.of(List.of("--rounds", "x"), List.of("--matrix", dir.resolve("missing.tsv").toString()),
                List.of("--bogus"), List.of("--seed"))) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            int rc = new VivaldiBench(false).run(args, new PrintStream(buf, true, StandardCharsets.UTF_8));
            assertEquals(2, rc, args.toString());
            assertTrue(buf.toString(StandardCharsets.UTF_8).startsWith("vivaldi: "), buf.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void findsTheSharedMatrixByWalkingUp(@TempDir Path dir) throws Exception {
        Path shared = dir.resolve("shared/data/latency/planetlab-490");
        Files.createDirectories(shared);
        Files.writeString(shared.resolve("rtt-ms-median.tsv"), "0\t1\n1\t0\n");
        Path repo = dir.resolve("wt/repo/benchmarks");
        Files.createDirectories(repo);
        assertEquals(shared.resolve("rtt-ms-median.tsv").normalize(), VivaldiBench.findDefaultMatrix(repo).orElseThrow());
    }
}
