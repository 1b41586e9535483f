package io.starling.benchmarks.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.List;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRankOnAKnownSample() {
        Percentiles p = new Percentiles(List.of(5.0, 1.0, 4.0, 2.0, 3.0, 10.0, 9.0, 8.0, 7.0, 6.0));
        assertEquals(5.0, p.at(50));
        assertEquals(10.0, p.at(99));
        assertEquals(1.0, p.at(1));
        assertEquals(10.0, p.max());
        assertTrue(Double.isNaN(new Percentiles(List.of()).at(50)));
        assertThrows(IllegalArgumentException.class, () -> p.at(0));
    }

    @Test
    void percentileIsASampleWithAtLeastPPercentAtOrBelowIt() {
        qt().forAll(lists().of(doubles().between(0, 10_000)).ofSizeBetween(1, 300), integers().between(1, 100))
                .check((samples, pct) -> {
                    double v = new Percentiles(samples).at(pct);
                    long atOrBelow = samples.stream().filter(s -> s <= v).count();
                    long below = samples.stream().filter(s -> s < v).count();
                    return samples.contains(v) && atOrBelow * 100 >= (long) pct * samples.size()
                            && below * 100 < (long) pct * samples.size();
                });
    }
}
