package io.starling.scheduler.vivaldi;

/**
 * Decides when a peer rewrites its Node's coordinate annotation: the first time, when the stable
 * coordinate moved (it only moves on a real drift, see {@link VivaldiService#stable()}), or when
 * the error estimate changed by at least {@code minErrorChange}. Each write is a store update and
 * a watch event for every scheduler, so jitter must not cause one. Pure and single-threaded.
 */
public final class CoordinatePublication {
    /** Error estimates closer than this are the same for placement. */
    public static final double DEFAULT_MIN_ERROR_CHANGE = 0.05;

    private final double minErrorChange;
    private Coordinate published;
    private double publishedError;

    public CoordinatePublication(double minErrorChange) {
        if (!(minErrorChange >= 0)) {
            throw new IllegalArgumentException("minErrorChange must be >= 0: " + minErrorChange);
        }
        this.minErrorChange = minErrorChange;
    }

    /** The annotation to write now, or null when the last one written is still good enough. */
    public String next(VivaldiService vivaldi) {
        Coordinate stable = vivaldi.stable();
        double error = vivaldi.error();
        if (published != null && published.equals(stable) && Math.abs(error - publishedError) < minErrorChange) {
            return null;
        }
        published = stable;
        publishedError = error;
        return vivaldi.annotation();
    }
}
