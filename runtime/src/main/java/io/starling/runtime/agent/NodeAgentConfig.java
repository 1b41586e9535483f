package io.starling.runtime.agent;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a node agent is told at start. Durations carry their unit in the name. Build with
 * {@link #builder(String)}; defaults follow the kubelet where one exists.
 *
 * @param nodeName Node object name (also the Lease name and the pods' spec.nodeName)
 * @param site site label value ({@code starling.io/site})
 * @param role super-peer or edge peer ({@code starling.io/role})
 * @param cpuMillis CPU capacity in millicores
 * @param memoryBytes memory capacity
 * @param maxPods pod capacity
 * @param internalIP node address; pods use the node's network, so it is also every pod's IP
 * @param agentPort port of the agent's HTTP API (logs), published as the kubelet endpoint
 * @param dataDir pod volumes, logs and the process backend's state live under it
 * @param leaseRenewMillis how often the node Lease is renewed
 * @param leaseDurationSeconds Lease validity written into the Lease
 * @param nodeStatusUpdateMillis how often the Node's status is computed and written if it changed
 * @param nodeStatusReportMillis how often the Node's status is written when nothing changed (the Lease is the
 *     liveness signal; this refreshes the Ready heartbeat, as the kubelet's nodeStatusReportFrequency)
 * @param relistMillis how often the backend is polled for container state changes (PLEG)
 * @param resyncMillis upper bound between two syncs of one pod
 * @param initialBackoffMillis first restart delay of a failed container (doubles per restart)
 * @param maxBackoffMillis restart delay cap
 * @param syncWorkers threads doing blocking runtime work
 * @param maxStatusWriteRetries compare-and-set retries of one status write on 409
 * @param orphanGraceSeconds stop grace for containers of pods that vanished from the store
 * @param extraLabels labels added to the Node
 * @param extraAnnotations annotations added to the Node
 */
public record NodeAgentConfig(String nodeName, String site, Role role, long cpuMillis, long memoryBytes, int maxPods,
                              String internalIP, int agentPort, Path dataDir, long leaseRenewMillis,
                              int leaseDurationSeconds, long nodeStatusUpdateMillis, long nodeStatusReportMillis, long relistMillis,
                              long resyncMillis, long initialBackoffMillis, long maxBackoffMillis, int syncWorkers,
                              int maxStatusWriteRetries, long orphanGraceSeconds, Map<String, String> extraLabels,
                              Map<String, String> extraAnnotations) {
    /** super-peer or edge peer. */
    public enum Role {
        SUPER, EDGE;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public NodeAgentConfig {
        if (nodeName == null || nodeName.isEmpty()) {
            throw new IllegalArgumentException("nodeName is required");
        }
        if (dataDir == null) {
            throw new IllegalArgumentException("dataDir is required");
        }
        if (leaseRenewMillis <= 0 || nodeStatusUpdateMillis <= 0 || nodeStatusReportMillis <= 0 || relistMillis <= 0
                || resyncMillis <= 0 || syncWorkers <= 0) {
            throw new IllegalArgumentException("intervals and syncWorkers must be > 0");
        }
        extraLabels = Map.copyOf(new TreeMap<>(extraLabels));
        extraAnnotations = Map.copyOf(new TreeMap<>(extraAnnotations));
    }

    public static Builder builder(String nodeName) {
        return new Builder(nodeName);
    }

    /** Mutable builder with kubelet-like defaults. */
    public static final class Builder {
        private final String nodeName;
        private String site = "default";
        private Role role = Role.EDGE;
        private long cpuMillis = 2000;
        private long memoryBytes = 2L << 30;
        private int maxPods = 110;
        private String internalIP = "127.0.0.1";
        private int agentPort = 10250;
        private Path dataDir;
        private long leaseRenewMillis = 2000;
        private int leaseDurationSeconds = 10;
        private long nodeStatusUpdateMillis = 10_000;
        private long nodeStatusReportMillis = 300_000;
        private long relistMillis = 1000;
        private long resyncMillis = 10_000;
        private long initialBackoffMillis = 10_000;
        private long maxBackoffMillis = 300_000;
        private int syncWorkers = 4;
        private int maxStatusWriteRetries = 5;
        private long orphanGraceSeconds = 2;
        private final Map<String, String> extraLabels = new TreeMap<>();
        private final Map<String, String> extraAnnotations = new TreeMap<>();

        private Builder(String nodeName) {
            this.nodeName = nodeName;
        }

        public Builder site(String v) { site = v; return this; }
        public Builder role(Role v) { role = v; return this; }
        public Builder cpuMillis(long v) { cpuMillis = v; return this; }
        public Builder memoryBytes(long v) { memoryBytes = v; return this; }
        public Builder maxPods(int v) { maxPods = v; return this; }
        public Builder internalIP(String v) { internalIP = v; return this; }
        public Builder agentPort(int v) { agentPort = v; return this; }
        public Builder dataDir(Path v) { dataDir = v; return this; }
        public Builder leaseRenewMillis(long v) { leaseRenewMillis = v; return this; }
        public Builder leaseDurationSeconds(int v) { leaseDurationSeconds = v; return this; }
        public Builder nodeStatusUpdateMillis(long v) { nodeStatusUpdateMillis = v; return this; }
        public Builder nodeStatusReportMillis(long v) { nodeStatusReportMillis = v; return this; }
        public Builder relistMillis(long v) { relistMillis = v; return this; }
        public Builder resyncMillis(long v) { resyncMillis = v; return this; }
        public Builder initialBackoffMillis(long v) { initialBackoffMillis = v; return this; }
        public Builder maxBackoffMillis(long v) { maxBackoffMillis = v; return this; }
        public Builder syncWorkers(int v) { syncWorkers = v; return this; }
        public Builder maxStatusWriteRetries(int v) { maxStatusWriteRetries = v; return this; }
        public Builder orphanGraceSeconds(long v) { orphanGraceSeconds = v; return this; }
        public Builder label(String k, String v) { extraLabels.put(k, v); return this; }
        public Builder annotation(String k, String v) { extraAnnotations.put(k, v); return this; }

        public NodeAgentConfig build() {
            return new NodeAgentConfig(nodeName, site, role, cpuMillis, memoryBytes, maxPods, internalIP, agentPort,
                    dataDir, leaseRenewMillis, leaseDurationSeconds, nodeStatusUpdateMillis, nodeStatusReportMillis,
                    relistMillis, resyncMillis, initialBackoffMillis, maxBackoffMillis, syncWorkers, maxStatusWriteRetries,
                    orphanGraceSeconds, extraLabels, extraAnnotations);
        }
    }
}
