package io.starling.scheduler.placement;

/**
 * Tuning of the placement core.
 *
 * @param proximityToleranceMs nodes whose predicted RTT to the users is within this of the best
 *                             one count as equally near; balance and preferences pick among them
 * @param defaultMilliCpuForScoring CPU assumed for a pod without requests when scoring (as
 *                                  kube-scheduler: 100m), never for filtering
 * @param defaultMemoryBytesForScoring memory assumed likewise (200 MiB)
 */
public record PlacementConfig(double proximityToleranceMs, long defaultMilliCpuForScoring, long defaultMemoryBytesForScoring) {
    public PlacementConfig {
        if (!(proximityToleranceMs >= 0) || defaultMilliCpuForScoring < 0 || defaultMemoryBytesForScoring < 0) {
            throw new IllegalArgumentException("invalid placement config");
        }
    }

    public static PlacementConfig defaults() {
        return new PlacementConfig(5.0, 100, 200L * 1024 * 1024);
    }
}
