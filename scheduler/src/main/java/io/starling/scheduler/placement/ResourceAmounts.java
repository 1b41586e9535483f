package io.starling.scheduler.placement;

/**
 * The resources the scheduler accounts for: CPU in millicores, memory in bytes, and a pod count.
 *
 * @param milliCpu CPU in thousandths of a core
 * @param memoryBytes memory in bytes
 * @param pods number of pods
 */
public record ResourceAmounts(long milliCpu, long memoryBytes, long pods) {
    public static final ResourceAmounts ZERO = new ResourceAmounts(0, 0, 0);

    public ResourceAmounts plus(ResourceAmounts o) {
        return new ResourceAmounts(milliCpu + o.milliCpu, memoryBytes + o.memoryBytes, pods + o.pods);
    }

    public ResourceAmounts minus(ResourceAmounts o) {
        return new ResourceAmounts(milliCpu - o.milliCpu, memoryBytes - o.memoryBytes, pods - o.pods);
    }

    /** Component-wise maximum (init containers run before, not beside, the app containers). */
    public ResourceAmounts max(ResourceAmounts o) {
        return new ResourceAmounts(Math.max(milliCpu, o.milliCpu), Math.max(memoryBytes, o.memoryBytes), Math.max(pods, o.pods));
    }

    /** Whether {@code request} fits into this (free) amount in every dimension. */
    public boolean fits(ResourceAmounts request) {
        return request.milliCpu <= milliCpu && request.memoryBytes <= memoryBytes && request.pods <= pods;
    }
}
