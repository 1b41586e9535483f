package io.starling.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link SimulationResult} to a directory: summary.json (sorted keys, no wall-clock
 * values), one CSV per table, PNG plots and report.md tying them together.
 */
public final class OutputWriter {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private OutputWriter() {}

    public static byte[] summaryJson(SimulationResult r) {
        try {
            return (JSON.writeValueAsString(r.summary()) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("summary is not serializable", e);
        }
    }

    /** Writes everything; returns the files written. */
    public static List<Path> write(SimulationResult r, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        Path summary = dir.resolve("summary.json");
        Files.write(summary, summaryJson(r));
        out.add(summary);
        for (Map.Entry<String, List<String>> t : r.tables().entrySet()) {
            Path f = dir.resolve(t.getKey());
            Files.write(f, t.getValue(), StandardCharsets.UTF_8);
            out.add(f);
        }
        List<String> plots = Plots.write(r, dir);
        for (String p : plots) {
            out.add(dir.resolve(p));
        }
        Path report = dir.resolve("report.md");
        Files.writeString(report, Report.markdown(r, plots), StandardCharsets.UTF_8);
        out.add(report);
        return out;
    }
}
