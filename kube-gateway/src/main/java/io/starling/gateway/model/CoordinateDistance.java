package io.starling.gateway.model;

/**
 * Predicted RTT between two Vivaldi coordinates written as "X,Y,...,HEIGHT,ERROR" (milliseconds):
 * the Euclidean distance of the vectors plus both heights (Dabek et al., the height model the
 * scheduler's Vivaldi uses). The gateway only displays it, so it parses leniently.
 */
final class CoordinateDistance {
    private CoordinateDistance() {}

    /** "12.3ms", or "<unknown>" when either side has no parsable coordinate. */
    static String describe(String a, String b) {
        double rtt = predict(a, b);
        return Double.isNaN(rtt) ? "<unknown>" : String.format(java.util.Locale.ROOT, "%.1fms", rtt);
    }

    static double predict(String a, String b) {
        double[] x = parse(a);
        double[] y = parse(b);
        if (x == null || y == null || x.length != y.length) {
            return Double.NaN;
        }
        int dims = x.length - 2; // last two: height, error
        double sum = 0;
        for (int i = 0; i < dims; i++) {
            double d = x[i] - y[i];
            sum += d * d;
        }
        return Math.sqrt(sum) + x[dims] + y[dims];
    }

    private static double[] parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String[] parts = text.split(",");
        if (parts.length < 4) {
            return null;
        }
        double[] v = new double[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                v[i] = Double.parseDouble(parts[i].trim());
                if (!Double.isFinite(v[i])) {
                    return null;
                }
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return v;
    }
}
