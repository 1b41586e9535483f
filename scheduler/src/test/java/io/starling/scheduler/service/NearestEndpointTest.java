package io.starling.scheduler.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class NearestEndpointTest {
    /** An endpoint from (rtt or -1 for unknown, ready, site index, port). */
    private static final Gen<Endpoint> ENDPOINT = integers().between(-1, 400).zip(integers().between(0, 3),
            integers().between(1, 60_000), (rtt, flags, port) -> new Endpoint("10.0.0." + (port % 250 + 1), port,
                    "n" + port, "s" + (flags & 1), (flags & 2) == 0, rtt < 0 ? Double.POSITIVE_INFINITY : rtt));

    @Test
    void chosenEndpointIsReadyAndNoReadyEndpointIsMeaningfullyNearer() {
        qt().forAll(lists().of(ENDPOINT).ofSizeBetween(0, 12), integers().between(0, 1000)).checkAssert((eps, seq) -> {
            Optional<Endpoint> chosen = NearestEndpoint.choose(eps, "s0", 5.0, seq);
            boolean anyReady = eps.stream().anyMatch(Endpoint::ready);
            assertEquals(anyReady, chosen.isPresent(), "an endpoint is chosen exactly when one is ready");
            chosen.ifPresent(c -> {
                assertTrue(c.ready(), "only ready endpoints get connections");
                for (Endpoint e : eps) {
                    if (e.ready() && Double.isFinite(e.predictedRttMs())) {
                        assertTrue(!Double.isFinite(c.predictedRttMs()) ? false : c.predictedRttMs() <= e.predictedRttMs() + 5.0,
                                "chosen " + c + " but " + e + " is nearer by more than the tolerance");
                    }
                }
            });
        });
    }

    @Test
    void equallyNearEndpointsShareConnectionsAndTheFarSiteGetsNoneWhileTheyAreReady() {
        List<Endpoint> eps = List.of(new Endpoint("10.0.0.1", 80, "a1", "a", true, 1.0),
                new Endpoint("10.0.0.2", 80, "a2", "a", true, 3.0),
                new Endpoint("10.0.1.1", 80, "b1", "b", true, 80.0));
        Set<String> used = new TreeSet<>();
        for (int i = 0; i < 10; i++) {
            used.add(NearestEndpoint.choose(eps, "a", 5.0, i).orElseThrow().nodeName());
        }
        assertEquals(Set.of("a1", "a2"), used);
        List<Endpoint> nearDown = new ArrayList<>(List.of(eps.get(2),
                new Endpoint("10.0.0.1", 80, "a1", "a", false, 1.0)));
        assertEquals("b1", NearestEndpoint.choose(nearDown, "a", 5.0, 0).orElseThrow().nodeName(),
                "the far site takes over when nothing near is ready");
    }

    @Test
    void withoutCoordinatesTheOwnSiteComesFirst() {
        List<Endpoint> eps = List.of(new Endpoint("10.0.1.1", 80, "b1", "b", true, Double.POSITIVE_INFINITY),
                new Endpoint("10.0.0.1", 80, "a1", "a", true, Double.POSITIVE_INFINITY));
        assertEquals("a1", NearestEndpoint.choose(eps, "a", 5.0, 7).orElseThrow().nodeName());
    }
}
