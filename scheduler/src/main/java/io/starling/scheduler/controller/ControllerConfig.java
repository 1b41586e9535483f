package io.starling.scheduler.controller;

import io.starling.scheduler.queue.BackoffPolicy;
import java.util.Objects;

/**
 * Per-site settings of the controller manager.
 *
 * @param site the site these controllers serve
 * @param defaultHomeSite the site that reconciles objects without a {@code starling.io/home-site}
 *     annotation (so exactly one site handles them)
 * @param nodeGracePeriodMillis a node whose Lease is not renewed for this long becomes NotReady
 * @param podEvictionTimeoutMillis pods without a toleration are deleted this long after their node
 *     became unreachable
 * @param nodeMonitorPeriodMillis how often node leases are checked
 * @param maxConcurrentReconciles keys in flight per controller
 * @param burstReplicas most pods one ReplicaSet reconcile creates or deletes
 * @param expectationsTimeoutMillis a ReplicaSet waits at most this long for its own creates and
 *     deletes to show up in the cache before acting again
 * @param namespaceRecheckMillis how often a terminating namespace is re-checked for leftovers
 * @param backoff retry back-off of failed reconciles
 */
public record ControllerConfig(String site, String defaultHomeSite, long nodeGracePeriodMillis,
                               long podEvictionTimeoutMillis, long nodeMonitorPeriodMillis,
                               int maxConcurrentReconciles, int burstReplicas, long expectationsTimeoutMillis,
                               long namespaceRecheckMillis, BackoffPolicy backoff) {
    public ControllerConfig {
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(defaultHomeSite, "defaultHomeSite");
        Objects.requireNonNull(backoff, "backoff");
        if (nodeGracePeriodMillis <= 0 || podEvictionTimeoutMillis < 0 || nodeMonitorPeriodMillis <= 0
                || maxConcurrentReconciles <= 0 || burstReplicas <= 0 || expectationsTimeoutMillis <= 0
                || namespaceRecheckMillis <= 0) {
            throw new IllegalArgumentException("controller settings must be positive");
        }
    }

    /** Defaults: grace 10 s, eviction 10 s, monitor every 1 s; this site is also the default home. */
    public static ControllerConfig forSite(String site) {
        return new ControllerConfig(site, site, 10_000, 10_000, 1_000, 4, 500, 60_000, 1_000, BackoffPolicy.DEFAULT);
    }

    public ControllerConfig withDefaultHomeSite(String home) {
        return new ControllerConfig(site, home, nodeGracePeriodMillis, podEvictionTimeoutMillis, nodeMonitorPeriodMillis,
                maxConcurrentReconciles, burstReplicas, expectationsTimeoutMillis, namespaceRecheckMillis, backoff);
    }

    public ControllerConfig withNodeTimeouts(long gracePeriodMillis, long evictionTimeoutMillis) {
        return new ControllerConfig(site, defaultHomeSite, gracePeriodMillis, evictionTimeoutMillis, nodeMonitorPeriodMillis,
                maxConcurrentReconciles, burstReplicas, expectationsTimeoutMillis, namespaceRecheckMillis, backoff);
    }
}
