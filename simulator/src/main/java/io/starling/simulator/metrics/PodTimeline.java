package io.starling.simulator.metrics;

/**
 * What one watcher at the users' site saw of one pod, in virtual milliseconds since the start of
 * the workload phase (-1 = not seen). created/scheduled are the HLC times of the writes that created
 * and bound the pod (its resourceVersions), running the time the container backend started its
 * last container, observed the time the watch delivered it Running to the users' site.
 */
public final class PodTimeline {
    public final String key;
    public final String usersSite;
    public String uid = "";
    public String nodeName = "";
    public String nodeSite = "";
    public String phase = "";
    public long createdMs = -1;
    public long scheduledMs = -1;
    public long runningMs = -1;
    public long observedMs = -1;
    public boolean deleted;

    public PodTimeline(String key, String usersSite) {
        this.key = key;
        this.usersSite = usersSite;
    }
}
