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
 * @param adoptPodsWithoutHomeSite also schedule pods that carry no starling.io/home-site annotation
 *                                 (for single-site setups; with several sites they would be raced for)
 * @param resyncIntervalMillis how often unschedulable pods are retried even without a change
 * @param retryDelayMillis wait before retrying after a store error
 * @param summaryIntervalMillis how often the site summary is recomputed
 * @param summaryRefreshMillis an unchanged summary is still rewritten this often (freshness)
 * @param summaryMaxAgeMillis summaries older than this are ignored for spill-over, and a site's
 *                            refusal of a spilled pod is remembered this long
 * @param spillEnabled whether pods that fit no node of the site may spill to another site
 * @param spillTimeoutMillis a pod spilled away that is still unbound after this is taken back
 *                           (the other site may be cut off or have no running scheduler)
 * @param placement placement core tuning
 */
public record SchedulerConfig(String site, Set<String> schedulerNames, List<String> alwaysWatchedNamespaces,
                              boolean adoptPodsWithoutHomeSite, long resyncIntervalMillis, long retryDelayMillis,
                              long summaryIntervalMillis, long summaryRefreshMillis, long summaryMaxAgeMillis,
                              boolean spillEnabled, long spillTimeoutMillis, PlacementConfig placement) {
    public SchedulerConfig {
        if (site == null || site.isEmpty()) {
            throw new IllegalArgumentException("site is required");
        }
        if (resyncIntervalMillis <= 0 || retryDelayMillis <= 0 || summaryIntervalMillis <= 0 || summaryRefreshMillis <= 0
                || summaryMaxAgeMillis <= 0 || spillTimeoutMillis <= 0) {
            throw new IllegalArgumentException("intervals must be > 0");
        }
        schedulerNames = new TreeSet<>(schedulerNames);
        alwaysWatchedNamespaces = List.copyOf(alwaysWatchedNamespaces);
    }

    public static SchedulerConfig forSite(String site) {
        return new SchedulerConfig(site, Set.of("default-scheduler", "starling"), List.of("default", "kube-system"), false,
                10_000, 500, 2_000, 30_000, 120_000, true, 30_000, PlacementConfig.defaults());
    }

    public SchedulerConfig withSpill(boolean enabled) {
        return new SchedulerConfig(site, schedulerNames, alwaysWatchedNamespaces, adoptPodsWithoutHomeSite, resyncIntervalMillis,
                retryDelayMillis, summaryIntervalMillis, summaryRefreshMillis, summaryMaxAgeMillis, enabled, spillTimeoutMillis,
                placement);
    }

    public SchedulerConfig withSpillTimeout(long millis) {
        return new SchedulerConfig(site, schedulerNames, alwaysWatchedNamespaces, adoptPodsWithoutHomeSite, resyncIntervalMillis,
                retryDelayMillis, summaryIntervalMillis, summaryRefreshMillis, summaryMaxAgeMillis, spillEnabled, millis, placement);
    }

    public SchedulerConfig withAdoptPodsWithoutHomeSite(boolean adopt) {
        return new SchedulerConfig(site, schedulerNames, alwaysWatchedNamespaces, adopt, resyncIntervalMillis, retryDelayMillis,
                summaryIntervalMillis, summaryRefreshMillis, summaryMaxAgeMillis, spillEnabled, spillTimeoutMillis, placement);
    }

    public SchedulerConfig withIntervals(long resyncMillis, long summaryMillis) {
        return new SchedulerConfig(site, schedulerNames, alwaysWatchedNamespaces, adoptPodsWithoutHomeSite, resyncMillis,
                retryDelayMillis, summaryMillis, summaryRefreshMillis, summaryMaxAgeMillis, spillEnabled, spillTimeoutMillis,
                placement);
    }
}
