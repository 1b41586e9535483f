package io.starling.scheduler.controller;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Instant;

/** Pod state questions every controller asks. */
public final class Pods {
    private Pods() {}

    public static boolean isTerminating(Pod p) {
        return p.getMetadata().getDeletionTimestamp() != null;
    }

    /** Counts toward a ReplicaSet: not being deleted and not finished. */
    public static boolean isActive(Pod p) {
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        return !isTerminating(p) && !"Succeeded".equals(phase) && !"Failed".equals(phase);
    }

    public static boolean isScheduled(Pod p) {
        return p.getSpec() != null && p.getSpec().getNodeName() != null && !p.getSpec().getNodeName().isEmpty();
    }

    public static PodCondition readyCondition(Pod p) {
        if (p.getStatus() == null || p.getStatus().getConditions() == null) {
            return null;
        }
        return p.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
    }

    public static boolean isReady(Pod p) {
        PodCondition c = readyCondition(p);
        return c != null && "True".equals(c.getStatus());
    }

    /** Wall time the pod became ready, or {@code Long.MIN_VALUE} when unknown (treated as long ago). */
    public static long readySinceMillis(Pod p) {
        PodCondition c = readyCondition(p);
        return c == null ? Long.MIN_VALUE : parseMillis(c.getLastTransitionTime(), Long.MIN_VALUE);
    }

    /** Ready for at least {@code minReadySeconds}. */
    public static boolean isAvailable(Pod p, int minReadySeconds, long nowWallMillis) {
        if (!isReady(p)) {
            return false;
        }
        if (minReadySeconds <= 0) {
            return true;
        }
        long since = readySinceMillis(p);
        return since == Long.MIN_VALUE || since + minReadySeconds * 1000L <= nowWallMillis;
    }

    public static long parseMillis(String rfc3339, long fallback) {
        if (rfc3339 == null || rfc3339.isEmpty()) {
            return fallback;
        }
        try {
            return Instant.parse(rfc3339).toEpochMilli();
        } catch (RuntimeException e) {
            return fallback;
        }
    }
}
