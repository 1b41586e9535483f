package io.starling.scheduler.vivaldi;

/**
 * A node's coordinate and its error estimate (a relative error: 0 = exact, 1 = knows nothing).
 *
 * @param coordinate current coordinate
 * @param error moving estimate of this node's relative prediction error
 */
public record VivaldiState(Coordinate coordinate, double error) {
    public VivaldiState {
        if (coordinate == null) {
            throw new IllegalArgumentException("coordinate is required");
        }
        if (!(error > 0) || !Double.isFinite(error)) {
            throw new IllegalArgumentException("error must be finite and > 0: " + error);
        }
    }

    public static VivaldiState initial(VivaldiConfig config) {
        return new VivaldiState(Coordinate.origin(config.dimensions(), config.minHeightMs()), config.initialError());
    }
}
