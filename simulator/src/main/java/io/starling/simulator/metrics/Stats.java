package io.starling.simulator.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Percentiles and rounding for the summary (nearest-rank, so values are samples, not interpolations). */
public final class Stats {
    private Stats() {}

    public static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    public static double[] sorted(List<? extends Number> values) {
        double[] a = new double[values.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = values.get(i).doubleValue();
        }
        Arrays.sort(a);
        return a;
    }

    /** count, mean, p50, p90, p99, max of the values (empty map entries hold null). */
    public static Map<String, Object> describe(List<? extends Number> values) {
        double[] s = sorted(values);
        Map<String, Object> m = new TreeMap<>();
        m.put("count", s.length);
        if (s.length == 0) {
            return m;
        }
        double sum = 0;
        for (double v : s) {
            sum += v;
        }
        m.put("mean", round(sum / s.length));
        m.put("p50", round(percentile(s, 50)));
        m.put("p90", round(percentile(s, 90)));
        m.put("p99", round(percentile(s, 99)));
        m.put("max", round(s[s.length - 1]));
        return m;
    }

    public static double round(double v) {
        if (!Double.isFinite(v)) {
            return v;
        }
        return Math.round(v * 10_000.0) / 10_000.0;
    }
}
