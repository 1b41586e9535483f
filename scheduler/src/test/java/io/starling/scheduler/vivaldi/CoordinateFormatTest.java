package io.starling.scheduler.vivaldi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class CoordinateFormatTest {

    @Test
    void numbersAreWrittenAsFormatterWritesThem() {
        qt().forAll(doubles().any()).check(v -> CoordinateFormat.num(v).equals(String.format(Locale.ROOT, "%.3f", v)));
        // halves at the third decimal, and values near zero of either sign
        qt().forAll(integers().between(-2_000_000, 2_000_000)).check(i -> {
            double v = i / 2000.0;
            double tiny = i / 1e9;
            return CoordinateFormat.num(v).equals(String.format(Locale.ROOT, "%.3f", v))
                    && CoordinateFormat.num(tiny).equals(String.format(Locale.ROOT, "%.3f", tiny));
        });
        assertEquals("-0.000", CoordinateFormat.num(-0.0));
        assertEquals("0.001", CoordinateFormat.num(0.0005));
    }
}
