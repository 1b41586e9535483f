package io.starling.scheduler.controller.deployment;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import java.util.List;

/**
 * The pure arithmetic of a rolling update (Kubernetes' semantics): maxSurge rounds percentages up,
 * maxUnavailable rounds down, both 0 means maxUnavailable 1; the new ReplicaSet grows while the
 * total stays within replicas + maxSurge; old ReplicaSets shrink while at least
 * replicas - maxUnavailable pods stay available.
 */
public final class RolloutMath {
    private RolloutMath() {}

    public record Limits(int maxSurge, int maxUnavailable) {}

    public static boolean isRecreate(Deployment d) {
        DeploymentStrategy s = d.getSpec().getStrategy();
        return s != null && "Recreate".equals(s.getType());
    }

    public static int replicas(Deployment d) {
        return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    }

    public static int replicas(ReplicaSet rs) {
        return rs.getSpec() == null || rs.getSpec().getReplicas() == null ? 0 : rs.getSpec().getReplicas();
    }

    public static int available(ReplicaSet rs) {
        return rs.getStatus() == null || rs.getStatus().getAvailableReplicas() == null ? 0 : rs.getStatus().getAvailableReplicas();
    }

    public static Limits limits(Deployment d) {
        int replicas = replicas(d);
        if (isRecreate(d)) {
            return new Limits(0, replicas);
        }
        DeploymentStrategy s = d.getSpec().getStrategy();
        RollingUpdateDeployment ru = s == null ? null : s.getRollingUpdate();
        IntOrString surge = ru == null || ru.getMaxSurge() == null ? new IntOrString("25%") : ru.getMaxSurge();
        IntOrString unavail = ru == null || ru.getMaxUnavailable() == null ? new IntOrString("25%") : ru.getMaxUnavailable();
        int maxSurge = resolve(surge, replicas, true);
        int maxUnavailable = resolve(unavail, replicas, false);
        if (maxSurge == 0 && maxUnavailable == 0) {
            maxUnavailable = 1;
        }
        return new Limits(maxSurge, Math.min(maxUnavailable, replicas));
    }

    /** An int, or a percentage of {@code total} rounded up or down. */
    public static int resolve(IntOrString v, int total, boolean roundUp) {
        if (v.getIntVal() != null) {
            return Math.max(0, v.getIntVal());
        }
        String s = v.getStrVal() == null ? "0" : v.getStrVal().trim();
        try {
            if (s.endsWith("%")) {
                double pct = Integer.parseInt(s.substring(0, s.length() - 1));
                double x = pct * total / 100.0;
                return Math.max(0, (int) (roundUp ? Math.ceil(x) : Math.floor(x)));
            }
            return Math.max(0, Integer.parseInt(s));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid int-or-percent value: '" + s + "'");
        }
    }

    public static int sumReplicas(List<ReplicaSet> rss) {
        return rss.stream().mapToInt(RolloutMath::replicas).sum();
    }

    public static int sumAvailable(List<ReplicaSet> rss) {
        return rss.stream().mapToInt(RolloutMath::available).sum();
    }

    /** Target size of the new ReplicaSet under RollingUpdate. */
    public static int newReplicaSetTarget(int replicas, Limits l, int newCurrent, int allCurrent) {
        if (newCurrent >= replicas) {
            return replicas;
        }
        int maxTotal = replicas + l.maxSurge();
        if (allCurrent >= maxTotal) {
            return newCurrent;
        }
        return newCurrent + Math.min(maxTotal - allCurrent, replicas - newCurrent);
    }

    /**
     * How many old pods may go now: the total may not fall below replicas - maxUnavailable available
     * pods, counting the new ReplicaSet's not-yet-available pods as unavailable.
     */
    public static int oldScaleDownBudget(int replicas, Limits l, int allCurrent, int newCurrent, int newAvailable) {
        int minAvailable = replicas - l.maxUnavailable();
        int newUnavailable = Math.max(0, newCurrent - newAvailable);
        return Math.max(0, allCurrent - minAvailable - newUnavailable);
    }
}
