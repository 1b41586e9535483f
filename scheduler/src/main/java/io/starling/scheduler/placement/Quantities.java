package io.starling.scheduler.placement;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/** Kubernetes resource quantities ("500m", "1.5", "128Mi", "1G") as scheduler integers. */
final class Quantities {
    private Quantities() {}

    static final BigDecimal MAX = BigDecimal.valueOf(Long.MAX_VALUE / 4);

    /** CPU in millicores, rounded up; 0 when absent. */
    static long milliCpu(Map<String, Quantity> m) {
        Quantity q = m == null ? null : m.get("cpu");
        return q == null ? 0 : toLong(amount(q, "cpu").multiply(BigDecimal.valueOf(1000)), "cpu");
    }

    /** Memory in bytes, rounded up; 0 when absent. */
    static long memoryBytes(Map<String, Quantity> m) {
        Quantity q = m == null ? null : m.get("memory");
        return q == null ? 0 : toLong(amount(q, "memory"), "memory");
    }

    /** A plain count (the "pods" resource); {@code absent} when missing. */
    static long count(Map<String, Quantity> m, String name, long absent) {
        Quantity q = m == null ? null : m.get(name);
        return q == null ? absent : toLong(amount(q, name), name);
    }

    private static BigDecimal amount(Quantity q, String what) {
        try {
            return q.getNumericalAmount();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid " + what + " quantity '" + q + "'");
        }
    }

    private static long toLong(BigDecimal v, String what) {
        if (v.signum() < 0) {
            throw new IllegalArgumentException("negative " + what + " quantity " + v.toPlainString());
        }
        if (v.compareTo(MAX) > 0) {
            throw new IllegalArgumentException(what + " quantity too large: " + v.toPlainString());
        }
        return v.setScale(0, RoundingMode.CEILING).longValueExact();
    }
}
