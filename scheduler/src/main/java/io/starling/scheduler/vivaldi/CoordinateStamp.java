package io.starling.scheduler.vivaldi;

import java.util.Arrays;
import java.util.Optional;

/**
 * The sender's coordinate as it travels inside DHT and heartbeat messages (plain fields so any
 * codec handles it). Remote input is untrusted: {@link #toState()} rejects malformed stamps.
 *
 * @param vector Euclidean components in ms
 * @param heightMs height in ms
 * @param error sender's error estimate
 */
public record CoordinateStamp(double[] vector, double heightMs, double error) {
    /** More dimensions than any sane configuration; bounds what a hostile peer can make us allocate. */
    public static final int MAX_DIMENSIONS = 16;

    public static CoordinateStamp of(VivaldiState state) {
        return new CoordinateStamp(state.coordinate().vector(), state.coordinate().heightMs(), state.error());
    }

    /** The stamp as a state, or empty when it is malformed (wrong size, NaN, negative height...). */
    public Optional<VivaldiState> toState() {
        if (vector == null || vector.length == 0 || vector.length > MAX_DIMENSIONS) {
            return Optional.empty();
        }
        try {
            return Optional.of(new VivaldiState(Coordinate.of(vector, heightMs), error));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CoordinateStamp s && Arrays.equals(vector, s.vector)
                && Double.compare(heightMs, s.heightMs) == 0 && Double.compare(error, s.error) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(vector) * 31 + Double.hashCode(heightMs) * 7 + Double.hashCode(error);
    }

    @Override
    public String toString() {
        return "CoordinateStamp" + Arrays.toString(vector) + " h=" + heightMs + " e=" + error;
    }
}
