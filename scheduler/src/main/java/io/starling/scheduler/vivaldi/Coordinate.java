package io.starling.scheduler.vivaldi;

import java.util.Arrays;

/**
 * An immutable Vivaldi coordinate: a Euclidean vector plus a non-negative height, all in
 * milliseconds. The height models the access link: the predicted RTT between two coordinates is the
 * Euclidean distance of their vectors plus both heights (Dabek et al., section 5.5).
 */
public final class Coordinate {
    private final double[] vector;
    private final double heightMs;

    private Coordinate(double[] vector, double heightMs) {
        this.vector = vector;
        this.heightMs = heightMs;
    }

    /** A coordinate from its components; rejects NaN/infinite values and a negative height. */
    public static Coordinate of(double[] vector, double heightMs) {
        if (vector.length == 0) {
            throw new IllegalArgumentException("coordinate needs at least one dimension");
        }
        for (double v : vector) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("coordinate component is not finite: " + v);
            }
        }
        if (!Double.isFinite(heightMs) || heightMs < 0) {
            throw new IllegalArgumentException("height must be finite and >= 0: " + heightMs);
        }
        return new Coordinate(vector.clone(), heightMs);
    }

    public static Coordinate of2d(double x, double y, double heightMs) {
        return of(new double[] {x, y}, heightMs);
    }

    /** The origin of {@code dimensions}-space with the given height. */
    public static Coordinate origin(int dimensions, double heightMs) {
        return of(new double[dimensions], heightMs);
    }

    /**
     * Component-wise mean (vector and height) of the coordinates that share the first one's
     * dimensions; null for an empty list. A site's position for proximity and spill-over.
     */
    public static Coordinate centroid(java.util.List<Coordinate> coordinates) {
        if (coordinates.isEmpty()) {
            return null;
        }
        int dims = coordinates.get(0).dimensions();
        double[] sum = new double[dims];
        double h = 0;
        int n = 0;
        for (Coordinate c : coordinates) {
            if (c.dimensions() != dims) {
                continue;
            }
            for (int i = 0; i < dims; i++) {
                sum[i] += c.vector[i];
            }
            h += c.heightMs;
            n++;
        }
        for (int i = 0; i < dims; i++) {
            sum[i] /= n;
        }
        return of(sum, h / n);
    }

    public int dimensions() {
        return vector.length;
    }

    public double component(int i) {
        return vector[i];
    }

    public double[] vector() {
        return vector.clone();
    }

    public double heightMs() {
        return heightMs;
    }

    /** Predicted RTT in ms: |a - b| + a.height + b.height. */
    public double distanceTo(Coordinate other) {
        requireSameDimensions(other);
        return euclidean(other) + heightMs + other.heightMs;
    }

    /** Euclidean distance of the vector parts only. */
    public double euclidean(Coordinate other) {
        requireSameDimensions(other);
        double sum = 0;
        for (int i = 0; i < vector.length; i++) {
            double d = vector[i] - other.vector[i];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    /** Whether every component is finite (always true for instances built through the factories). */
    public boolean isFinite() {
        for (double v : vector) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return Double.isFinite(heightMs);
    }

    void requireSameDimensions(Coordinate other) {
        if (other.vector.length != vector.length) {
            throw new IllegalArgumentException("dimension mismatch: " + vector.length + " vs " + other.vector.length);
        }
    }

    /** Package-private: builds without copying from an array the caller no longer touches. */
    static Coordinate owning(double[] vector, double heightMs) {
        return new Coordinate(vector, heightMs);
    }

    double[] raw() {
        return vector;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Coordinate c && Arrays.equals(vector, c.vector)
                && Double.compare(heightMs, c.heightMs) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(vector) + Double.hashCode(heightMs);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(");
        for (double v : vector) {
            sb.append(String.format(java.util.Locale.ROOT, "%.3f", v)).append(',');
        }
        return sb.append(" h=").append(String.format(java.util.Locale.ROOT, "%.3f", heightMs)).append(')').toString();
    }
}
