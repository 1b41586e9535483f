package io.starling.simulator.progress;

import io.starling.simulator.Simulator;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line live progress bar (virtual time done, wall time, events/s, ETA), redrawn with a
 * carriage return at most every {@link #REDRAW_NANOS}. It is the only simulator class that reads
 * the wall clock, and what it reads never reaches the simulation or its results.
 */
public final class ProgressBar implements Simulator.Progress {
    static final long REDRAW_NANOS = 250_000_000L;
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final long startNanos = System.nanoTime();
    private long lastDraw;
    private boolean drawn;

    public ProgressBar(PrintStream out) {
        this.out = out;
    }

    @Override
    public void update(long virtualDoneMillis, long virtualTotalMillis, long events) {
        long now = System.nanoTime();
        boolean finished = virtualDoneMillis >= virtualTotalMillis;
        if (!finished && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        double wall = (now - startNanos) / 1e9;
        double frac = virtualTotalMillis <= 0 ? 1 : Math.min(1, virtualDoneMillis / (double) virtualTotalMillis);
        int filled = (int) Math.round(frac * WIDTH);
        double eta = frac > 0 ? wall / frac - wall : Double.NaN;
        out.print(String.format(Locale.ROOT, "\r[%s%s] %5.1f%% virtual %s/%s wall %s %.0f events/s ETA %s ",
                "#".repeat(filled), ".".repeat(WIDTH - filled), frac * 100, hms(virtualDoneMillis / 1000.0),
                hms(virtualTotalMillis / 1000.0), hms(wall), wall > 0 ? events / wall : 0, Double.isNaN(eta) ? "?" : hms(eta)));
        out.flush();
        drawn = true;
    }

    /** Ends the line (call once after the run). */
    public void done() {
        if (drawn) {
            out.println();
        }
    }

    public double wallSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String hms(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
