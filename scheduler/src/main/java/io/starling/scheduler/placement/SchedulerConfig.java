package io.starling.scheduler.placement;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Settings of one site's scheduler.
 *
 * @param site the site it schedules for (nodes labelled starling.io/site=SITE, pods homed there)
 * @param schedulerNames spec.schedulerName values it serves (a pod without one is always served)
 * @param alwaysWatchedNamespaces namespaces watched even when no Namespace object exists
 * @param resyncIntervalMillis how often unschedulable pods are retried even without a change
 * @param retryDelayMillis wait before retrying after a store error
 * @param summaryIntervalMillis how often the site summary is recomputed
 * @param summaryRefreshMillis an unchanged summary is still rewritten this often (freshness)
 * @param summaryMaxAgeMillis summaries older than this are ignored for spill-over
 * @param spillEnabled whether pods that fit no node of the site may spill to another site
 * @param placement placement core tuning
 */
public record SchedulerConfig(String site, Set<String> schedulerNames, List<String> alwaysWatchedNamespaces,
                              long resyncIntervalMillis, long retryDelayMillis, long summaryIntervalMillis,
                              long summaryRefreshMillis, long summaryMaxAgeMillis, boolean spillEnabled,
                              PlacementConfig placement) {
    public SchedulerConfig {
        if (site == null || site.isEmpty()) {
            throw new IllegalArgumentException("site is required");
        }
        if (resyncIntervalMillis <= 0 || retryDelayMillis <= 0 || summaryIntervalMillis <= 0 || summaryRefreshMillis <= 0
                || summaryMaxAgeMillis <= 0) {
            throw new IllegalArgumentException("intervals must be > 0");
        }
        schedulerNames = new TreeSet<>(schedulerNames);
        alwaysWatchedNamespaces = List.copyOf(alwaysWatchedNamespaces);
    }

    public static SchedulerConfig forSite(String site) {
        return new SchedulerConfig(site, Set.of("default-scheduler", "starling"), List.of("default", "kube-system"),
                10_000, 500, 2_000, 30_000, 120_000, true, PlacementConfig.defaults());
    }

    public SchedulerConfig withSpill(boolean enabled) {
        return new SchedulerConfig(site, schedulerNames, alwaysWatchedNamespaces, resyncIntervalMillis, retryDelayMillis,
                summaryIntervalMillis, summaryRefreshMillis, summaryMaxAgeMillis, enabled, placement);
    }

    public SchedulerConfig withIntervals(long resyncMillis, long summaryMillis) {
        return new SchedulerConfig(site, schedulerNames, alwaysWatchedNamespaces, resyncMillis, retryDelayMillis,
                summaryMillis, summaryRefreshMillis, summaryMaxAgeMillis, spillEnabled, placement);
    }
}
