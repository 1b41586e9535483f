package io.starling.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run produced: the summary (nested sorted maps, no wall-clock values, so two runs of one
 * plan and seed are equal) and CSV tables by file name.
 */
public final class SimulationResult {
    private final Map<String, Object> summary;
    private final Map<String, List<String>> tables = new LinkedHashMap<>();

    SimulationResult(Map<String, Object> summary) {
        this.summary = summary;
    }

    void table(String file, String header, List<String> rows) {
        List<String> all = new ArrayList<>(rows.size() + 1);
        all.add(header);
        all.addAll(rows);
        tables.put(file, all);
    }

    public Map<String, Object> summary() {
        return summary;
    }

    /** File name -> lines (header first). */
    public Map<String, List<String>> tables() {
        return tables;
    }

    /** A value by path, e.g. {@code get("pods", "running")}. */
    @SuppressWarnings("unchecked")
    public Object get(String... path) {
        Object cur = summary;
        for (String p : path) {
            if (!(cur instanceof Map)) {
                return null;
            }
            cur = ((Map<String, Object>) cur).get(p);
        }
        return cur;
    }
}
