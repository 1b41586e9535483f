package io.starling.scheduler.placement;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Objects;

/** Taint/toleration matching as in the Kubernetes API. */
final class Taints {
    static final String NOT_READY = "node.kubernetes.io/not-ready";
    static final String UNSCHEDULABLE = "node.kubernetes.io/unschedulable";

    private Taints() {}

    /** The first NoSchedule/NoExecute taint no toleration covers, or null. */
    static Taint firstUntolerated(List<Taint> taints, List<Toleration> tolerations) {
        for (Taint t : taints) {
            boolean hard = "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect());
            if (hard && !tolerated(t, tolerations)) {
                return t;
            }
        }
        return null;
    }

    /** Number of PreferNoSchedule taints not tolerated (a score penalty). */
    static int untoleratedPreferNoSchedule(List<Taint> taints, List<Toleration> tolerations) {
        int n = 0;
        for (Taint t : taints) {
            if ("PreferNoSchedule".equals(t.getEffect()) && !tolerated(t, tolerations)) {
                n++;
            }
        }
        return n;
    }

    static boolean tolerated(Taint taint, List<Toleration> tolerations) {
        for (Toleration tol : tolerations) {
            if (tolerates(tol, taint)) {
                return true;
            }
        }
        return false;
    }

    /** An empty key with Exists matches every key; an empty effect matches every effect. */
    static boolean tolerates(Toleration tol, Taint taint) {
        String effect = tol.getEffect();
        if (effect != null && !effect.isEmpty() && !effect.equals(taint.getEffect())) {
            return false;
        }
        String key = tol.getKey();
        String op = tol.getOperator() == null || tol.getOperator().isEmpty() ? "Equal" : tol.getOperator();
        if (key == null || key.isEmpty()) {
            return "Exists".equals(op);
        }
        if (!key.equals(taint.getKey())) {
            return false;
        }
        return switch (op) {
            case "Exists" -> true;
            case "Equal" -> Objects.equals(emptyToNull(tol.getValue()), emptyToNull(taint.getValue()));
            default -> false;
        };
    }

    /** The kube-scheduler form of a taint in messages: {key: value}. */
    static String describe(Taint t) {
        return "{" + t.getKey() + ": " + (t.getValue() == null ? "" : t.getValue()) + "}";
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
