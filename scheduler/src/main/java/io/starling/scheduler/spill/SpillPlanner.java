package io.starling.scheduler.spill;

import io.starling.scheduler.placement.ResourceAmounts;
import io.starling.scheduler.vivaldi.Coordinate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Pure choice of the site a pod spills to: among other sites with a fresh summary whose capacity
 * fits the pod, the one whose centroid has the lowest predicted RTT to {@code from} (the pod's
 * users, or the home site); sites without a centroid come last; ties by site name.
 */
public final class SpillPlanner {
    /** The chosen site and the predicted RTT to it (NaN when unknown). */
    public record Choice(String site, double predictedRttMs) {}

    private SpillPlanner() {}

    public static Optional<Choice> choose(ResourceAmounts request, String ownSite, Coordinate from,
                                          Collection<SiteSummary> summaries, Set<String> excludedSites,
                                          long nowMillis, long maxAgeMillis) {
        List<Choice> candidates = new ArrayList<>();
        for (SiteSummary s : summaries) {
            if (s.site().equals(ownSite) || excludedSites.contains(s.site()) || nowMillis - s.updatedAtMillis() > maxAgeMillis
                    || !s.fits(request)) {
                continue;
            }
            double rtt = from != null && s.centroid() != null && s.centroid().dimensions() == from.dimensions()
                    ? from.distanceTo(s.centroid()) : Double.POSITIVE_INFINITY;
            candidates.add(new Choice(s.site(), rtt));
        }
        return candidates.stream()
                .min(Comparator.comparingDouble(Choice::predictedRttMs).thenComparing(Choice::site))
                .map(c -> Double.isInfinite(c.predictedRttMs()) ? new Choice(c.site(), Double.NaN) : c);
    }
}
