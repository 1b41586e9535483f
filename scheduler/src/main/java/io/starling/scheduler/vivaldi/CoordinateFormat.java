package io.starling.scheduler.vivaldi;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Text forms of coordinates on Kubernetes objects. The Node annotation
 * ({@code starling.io/vivaldi}) is {@code X,Y,HEIGHT,ERROR}; a coordinate with more than two
 * dimensions lists all vector components first ({@code X,Y,Z,HEIGHT,ERROR}). The pod "users"
 * annotation uses the same form without the error ({@code X,Y,HEIGHT}).
 */
public final class CoordinateFormat {
    /** Upper bound on fields, so a hostile annotation cannot make us allocate much. */
    private static final int MAX_FIELDS = 18;

    private CoordinateFormat() {}

    /** {@code X,Y,...,HEIGHT,ERROR} with 3 decimals. */
    public static String formatState(VivaldiState state) {
        return formatCoordinate(state.coordinate()) + "," + num(state.error());
    }

    /** {@code X,Y,...,HEIGHT} with 3 decimals. */
    public static String formatCoordinate(Coordinate c) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < c.dimensions(); i++) {
            sb.append(num(c.component(i))).append(',');
        }
        return sb.append(num(c.heightMs())).toString();
    }

    /** Parses {@code X,Y,...,HEIGHT,ERROR}; IllegalArgumentException with the reason when malformed. */
    public static VivaldiState parseState(String text) {
        double[] f = fields(text, 4);
        double error = f[f.length - 1];
        if (!(error > 0)) {
            throw new IllegalArgumentException("coordinate error must be > 0: '" + text + "'");
        }
        double[] vector = java.util.Arrays.copyOf(f, f.length - 2);
        return new VivaldiState(Coordinate.of(vector, f[f.length - 2]), error);
    }

    /** Parses {@code X,Y,...,HEIGHT}. */
    public static Coordinate parseCoordinate(String text) {
        double[] f = fields(text, 3);
        return Coordinate.of(java.util.Arrays.copyOf(f, f.length - 1), f[f.length - 1]);
    }

    private static double[] fields(String text, int minFields) {
        if (text == null) {
            throw new IllegalArgumentException("coordinate text is missing");
        }
        String[] parts = text.trim().split(",", -1);
        if (parts.length < minFields || parts.length > MAX_FIELDS) {
            throw new IllegalArgumentException("coordinate needs " + minFields + ".." + MAX_FIELDS
                    + " comma-separated numbers: '" + text + "'");
        }
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number in coordinate '" + text + "': '" + parts[i] + "'");
            }
            if (!Double.isFinite(out[i])) {
                throw new IllegalArgumentException("non-finite number in coordinate '" + text + "'");
            }
        }
        return out;
    }

    /**
     * {@code String.format(Locale.ROOT, "%.3f", v)} without java.util.Formatter: for any locale but
     * en_US it loads the JDK's CLDR locale data (~250 classes, ~0.5 MiB heap), which an edge peer,
     * publishing its coordinates, would otherwise keep for this alone.
     */
    static String num(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        String s = BigDecimal.valueOf(v).setScale(3, RoundingMode.HALF_UP).toPlainString();
        // BigDecimal has no negative zero: -0.0004 is "-0.000" for Formatter
        return (v < 0 || 1 / v < 0) && s.charAt(0) != '-' ? "-" + s : s;
    }
}
