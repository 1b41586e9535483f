package io.starling.gateway.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

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

    static Gen<String> small() {
        return Generate.pick(List.of("a", "b", "c"));
    }

    record Case(String key, String v1, String v2, String actual, boolean present) {}

    static Gen<Case> cases() {
        return small().zip(small(), small(), small(), booleans().all(), Case::new);
    }

    @Test
    void setOperatorsAgreeWithEquality() {
        qt().withExamples(1000).forAll(cases()).checkAssert(c ->
                setOperatorsAgreeFor(c.key(), c.v1(), c.v2(), c.actual(), c.present()));
    }

    private static void setOperatorsAgreeFor(String key, String v1, String v2, String actual, boolean present) {
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
