package io.starling.benchmarks.cluster;

import java.util.Arrays;
import java.util.Collection;

/** Nearest-rank percentiles of latency samples (ms). */
public final class Percentiles {
    private final double[] sorted;

    public Percentiles(Collection<Double> samples) {
        sorted = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    public int count() {
        return sorted.length;
    }

    /** Nearest-rank percentile: the smallest sample with at least p% of samples at or below it; NaN if none. */
    public double at(double p) {
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
        }
        if (sorted.length == 0) {
            return Double.NaN;
        }
        // p * n first: p / 100 * n rounds up past an integer (7 / 100.0 * 300 = 21.000000000000004)
        int rank = (int) Math.ceil(p * sorted.length / 100.0);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    public double max() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }

    @Override
    public String toString() {
        return "Percentiles" + Arrays.toString(sorted);
    }
}
