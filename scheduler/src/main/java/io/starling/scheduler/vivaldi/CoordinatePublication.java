package io.starling.scheduler.vivaldi;

/**
 * Decides when a peer rewrites its Node's coordinate annotation: the first time, then when the
 * stable coordinate moved (it only moves on a real drift, see {@link VivaldiService#stable()}) or
 * the error estimate changed by at least {@code minErrorChange}, but never sooner than
 * {@code minIntervalMillis} after the last write. Each write is a store update replicated to
 * every site and a watch event for every scheduler there, so neither jitter nor a coordinate
 * still settling after a join may cause one every few seconds; {@code starling coords} shows the
 * live value. Pure and single-threaded.
 */
public final class CoordinatePublication {
    /** Error estimates closer than this are the same for placement. */
    public static final double DEFAULT_MIN_ERROR_CHANGE = 0.05;
    /** At most one coordinate write per node per minute (the kubelet reports unchanged status every 5 min). */
    public static final long DEFAULT_MIN_INTERVAL_MILLIS = 60_000;

    private final double minErrorChange;
    private final long minIntervalMillis;
    private Coordinate published;
    private double publishedError;
    private long publishedAtMillis;

    /** Without a minimum interval (every change is published). */
    public CoordinatePublication(double minErrorChange) {
        this(minErrorChange, 0);
    }

    public CoordinatePublication(double minErrorChange, long minIntervalMillis) {
        if (!(minErrorChange >= 0)) {
            throw new IllegalArgumentException("minErrorChange must be >= 0: " + minErrorChange);
        }
        if (minIntervalMillis < 0) {
            throw new IllegalArgumentException("minIntervalMillis must be >= 0: " + minIntervalMillis);
        }
        this.minErrorChange = minErrorChange;
        this.minIntervalMillis = minIntervalMillis;
    }

    /** The annotation to write now, or null when the last one written is still good enough. */
    public String next(VivaldiService vivaldi) {
        return next(vivaldi, Long.MAX_VALUE);
    }

    /** As {@link #next(VivaldiService)}, also null within the minimum interval of the last write ({@code nowMillis} monotonic). */
    public String next(VivaldiService vivaldi, long nowMillis) {
        if (published != null && nowMillis - publishedAtMillis < minIntervalMillis) {
            return null;
        }
        Coordinate stable = vivaldi.stable();
        double error = vivaldi.error();
        if (published != null && published.equals(stable) && Math.abs(error - publishedError) < minErrorChange) {
            return null;
        }
        published = stable;
        publishedError = error;
        publishedAtMillis = nowMillis;
        return vivaldi.annotation();
    }
}
