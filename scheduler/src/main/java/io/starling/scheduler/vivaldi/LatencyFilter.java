package io.starling.scheduler.vivaldi;

import java.util.Arrays;

/**
 * Ledlie et al.'s moving-percentile latency filter for one neighbour: the output is the given
 * percentile of the last {@code windowSamples} raw RTTs, which drops the occasional huge sample
 * (queueing, GC pauses) that would otherwise throw a coordinate far off. Not thread-safe.
 */
public final class LatencyFilter {
    private final double[] window;
    private final double percentile;
    private int size;
    private int next;

    /** @param percentile in [0, 1]; 0.25 is the paper's choice, 0.5 the median */
    public LatencyFilter(int windowSamples, double percentile) {
        if (windowSamples < 1 || windowSamples > 1024) {
            throw new IllegalArgumentException("windowSamples must be in [1, 1024]: " + windowSamples);
        }
        if (!(percentile >= 0 && percentile <= 1)) {
            throw new IllegalArgumentException("percentile must be in [0, 1]: " + percentile);
        }
        this.window = new double[windowSamples];
        this.percentile = percentile;
    }

    /** Adds a sample and returns the filtered RTT. */
    public double add(double rttMs) {
        window[next] = rttMs;
        next = (next + 1) % window.length;
        size = Math.min(size + 1, window.length);
        return value();
    }

    /** The current filtered RTT (NaN before the first sample). */
    public double value() {
        if (size == 0) {
            return Double.NaN;
        }
        double[] copy = Arrays.copyOf(window, size);
        Arrays.sort(copy);
        int idx = (int) Math.round(percentile * (size - 1));
        return copy[idx];
    }

    public int size() {
        return size;
    }
}
