package io.starling.scheduler.vivaldi;

/**
 * Tuning of the Vivaldi update. Defaults follow Dabek et al. (ce = 0.25, 2-D + height) except the
 * timestep constant: cc = 0.1 instead of 0.25. On the PlanetLab-490 replay (VivaldiReplay, 32
 * neighbours + random samples) the smaller step stops coordinates from oscillating around their
 * rest position: median relative error 0.076 against 0.081 with cc = 0.25, and it still converges
 * within ~1000 samples per node.
 *
 * @param dimensions Euclidean dimensions (the height comes on top)
 * @param cc timestep constant of the adaptive timestep (delta = cc * local weight)
 * @param ce weight of a new sample in the moving error estimate
 * @param initialError error estimate of a fresh node (1 = knows nothing)
 * @param maxError upper clamp of the error estimate
 * @param minError lower clamp, keeps weights well defined
 * @param minHeightMs smallest height a coordinate may shrink to
 * @param minRttMs samples below this are raised to it (avoids dividing by ~0)
 * @param maxRttMs samples above this are ignored as bogus
 */
public record VivaldiConfig(int dimensions, double cc, double ce, double initialError, double maxError,
                            double minError, double minHeightMs, double minRttMs, double maxRttMs) {

    public VivaldiConfig {
        if (dimensions < 1 || dimensions > 16) {
            throw new IllegalArgumentException("dimensions must be in [1, 16]: " + dimensions);
        }
        if (!(cc > 0 && cc <= 1) || !(ce > 0 && ce <= 1)) {
            throw new IllegalArgumentException("cc and ce must be in (0, 1]");
        }
        if (!(minError > 0 && minError <= initialError && initialError <= maxError)) {
            throw new IllegalArgumentException("need 0 < minError <= initialError <= maxError");
        }
        if (!(minHeightMs >= 0) || !(minRttMs > 0) || !(maxRttMs > minRttMs)) {
            throw new IllegalArgumentException("invalid height/rtt limits");
        }
    }

    /** 2-D + height, the Node annotation's native shape. */
    public static VivaldiConfig defaults2d() {
        return withDimensions(2);
    }

    public static VivaldiConfig withDimensions(int dimensions) {
        return new VivaldiConfig(dimensions, 0.1, 0.25, 1.0, 1.5, 1e-3, 0.01, 0.05, 60_000);
    }

    public VivaldiConfig withCc(double newCc) {
        return new VivaldiConfig(dimensions, newCc, ce, initialError, maxError, minError, minHeightMs, minRttMs, maxRttMs);
    }

    public VivaldiConfig withCe(double newCe) {
        return new VivaldiConfig(dimensions, cc, newCe, initialError, maxError, minError, minHeightMs, minRttMs, maxRttMs);
    }
}
