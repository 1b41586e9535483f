package io.starling.core.sim;

import io.starling.core.random.RandomSource;
import java.util.Map;
import java.util.TreeMap;

/** One-way delay of a message between two simulated peers, in virtual milliseconds. */
@FunctionalInterface
public interface LatencyModel {
    double oneWayMillis(SimEndpoint from, SimEndpoint to, RandomSource random);

    static LatencyModel constant(double oneWayMillis) {
        return (from, to, random) -> oneWayMillis;
    }

    /**
     * Half the round-trip time between the two sites plus uniform jitter in [0, jitterMillis).
     * {@code rttMillis} maps "siteA|siteB" (either order) to the RTT; same-site pairs use
     * {@code intraSiteRttMillis}, unknown pairs {@code defaultRttMillis}.
     */
    static LatencyModel siteMatrix(Map<String, Double> rttMillis, double intraSiteRttMillis,
                                   double defaultRttMillis, double jitterMillis) {
        Map<String, Double> table = new TreeMap<>(rttMillis);
        Map<String, Map<String, Double>> bySite = new java.util.HashMap<>();
        return (from, to, random) -> {
            double rtt;
            if (from.site().equals(to.site())) {
                rtt = intraSiteRttMillis;
            } else {
                rtt = bySite.computeIfAbsent(from.site(), f -> new java.util.HashMap<>()).computeIfAbsent(to.site(), t -> {
                    Double v = table.get(from.site() + "|" + t);
                    if (v == null) {
                        v = table.get(t + "|" + from.site());
                    }
                    return v == null ? defaultRttMillis : v;
                });
            }
            return rtt / 2 + (jitterMillis > 0 ? random.nextDouble() * jitterMillis : 0);
        };
    }
}
