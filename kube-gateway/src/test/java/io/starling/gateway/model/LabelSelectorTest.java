package io.starling.gateway.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {
    private static final Map<String, String> LABELS = Map.of("env", "prod", "tier", "web", "app.kubernetes.io/name", "x");

    @Test
    void operators() {
        assertTrue(LabelSelector.parse("env=prod").matches(LABELS));
        assertTrue(LabelSelector.parse("env==prod").matches(LABELS));
        assertFalse(LabelSelector.parse("env!=prod").matches(LABELS));
        assertTrue(LabelSelector.parse("missing!=prod").matches(LABELS), "!= matches when the key is absent");
        assertTrue(LabelSelector.parse("env in (dev, prod)").matches(LABELS));
        assertFalse(LabelSelector.parse("env notin (dev,prod)").matches(LABELS));
        assertTrue(LabelSelector.parse("tier").matches(LABELS));
        assertFalse(LabelSelector.parse("!tier").matches(LABELS));
        assertTrue(LabelSelector.parse("env=prod,tier in (web),app.kubernetes.io/name").matches(LABELS));
        assertFalse(LabelSelector.parse("env=prod,tier=db").matches(LABELS));
        assertTrue(LabelSelector.parse("").matches(Map.of()));
    }

    @Test
    void malformedSelectorsAreRejected() {
        for (String bad : new String[] {"env in (a", "env in a,b", "=x", "a b c", "env=bad value", ",", "!"}) {
            assertThrows(IllegalArgumentException.class, () -> LabelSelector.parse(bad), bad);
        }
    }

    @Provide
    Arbitrary<String> small() {
        return Arbitraries.of("a", "b", "c");
    }

    @Property
    void setOperatorsAgreeWithEquality(@ForAll("small") String key, @ForAll("small") String v1, @ForAll("small") String v2,
                                       @ForAll("small") String actual, @ForAll boolean present) {
        Map<String, String> labels = present ? Map.of(key, actual) : Map.of();
        boolean eq1 = LabelSelector.parse(key + "=" + v1).matches(labels);
        boolean eq2 = LabelSelector.parse(key + "=" + v2).matches(labels);
        assertEquals(eq1 || eq2, LabelSelector.parse(key + " in (" + v1 + "," + v2 + ")").matches(labels));
        assertEquals(!(eq1 || eq2), LabelSelector.parse(key + " notin (" + v1 + "," + v2 + ")").matches(labels));
        assertEquals(!eq1, LabelSelector.parse(key + "!=" + v1).matches(labels));
        assertEquals(present, LabelSelector.parse(key).matches(labels));
        assertEquals(!present, LabelSelector.parse("!" + key).matches(labels));
    }
}
