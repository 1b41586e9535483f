package io.starling.scheduler.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Picks the endpoint a new connection goes to: among ready endpoints, those whose predicted RTT
 * is within {@code toleranceMs} of the nearest one form the nearest group, and connections rotate
 * over that group (so equally near replicas share load, while a far site only gets traffic when
 * nothing nearer is ready). Without any coordinate, an endpoint of the caller's own site counts
 * as nearer than one of another site. Pure: the rotation counter is passed in.
 */
public final class NearestEndpoint {
    private NearestEndpoint() {}

    /** Within this many milliseconds of the nearest, an endpoint counts as equally near. */
    public static final double DEFAULT_TOLERANCE_MS = 5.0;

    /** The nearest group, in a stable order (predicted RTT, then address and port). */
    public static List<Endpoint> nearestGroup(List<Endpoint> endpoints, String localSite, double toleranceMs) {
        List<Endpoint> ready = new ArrayList<>();
        for (Endpoint e : endpoints) {
            if (e.ready()) {
                ready.add(e);
            }
        }
        if (ready.isEmpty()) {
            return List.of();
        }
        Comparator<Endpoint> order = Comparator.comparingDouble((Endpoint e) -> effectiveRtt(e, localSite))
                .thenComparing(Endpoint::address).thenComparingInt(Endpoint::port);
        ready.sort(order);
        double best = effectiveRtt(ready.get(0), localSite);
        List<Endpoint> group = new ArrayList<>();
        for (Endpoint e : ready) {
            double rtt = effectiveRtt(e, localSite);
            if (rtt == best || rtt <= best + toleranceMs) {
                group.add(e);
            }
        }
        return List.copyOf(group);
    }

    /** The endpoint for the {@code sequence}-th connection, or empty when none is ready. */
    public static Optional<Endpoint> choose(List<Endpoint> endpoints, String localSite, double toleranceMs, long sequence) {
        List<Endpoint> group = nearestGroup(endpoints, localSite, toleranceMs);
        if (group.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(group.get((int) Math.floorMod(sequence, (long) group.size())));
    }

    /**
     * Unknown distances sort after known ones; among unknown ones, the own site first. Infinite
     * values are mapped to large finite ones so that the tolerance comparison stays meaningful.
     */
    private static double effectiveRtt(Endpoint e, String localSite) {
        if (Double.isFinite(e.predictedRttMs())) {
            return e.predictedRttMs();
        }
        return !localSite.isEmpty() && localSite.equals(e.site()) ? 1e9 : 2e9;
    }
}
