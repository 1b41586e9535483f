package io.starling.simulator.scenario;

import java.util.List;
import java.util.Set;

/**
 * A checked scenario with every default filled in, durations in virtual milliseconds and site
 * groups expanded: what the simulator builds from.
 */
public record Plan(String name, long durationMillis, long settleMillis, List<SitePlan> sites, LinkPlan links,
                   List<WorkPlan> workload, ChurnPlan churn, List<PartitionPlan> partitions,
                   List<CrashPlan> superPeerCrashes, ProbePlan probes) {

    /**
     * @param cpuMillis capacity of an edge peer of this site (with memoryMiB and pods) unless {@code mix} is given
     * @param mix capacities the site's edge peers take in turn (heterogeneous racks); empty: all alike
     */
    public record SitePlan(String name, int superPeers, int edgePeers, long cpuMillis, long memoryMiB, int pods,
                           double lanRttMs, int matrixIndex, List<EdgeCapacity> mix) {
        public SitePlan {
            mix = List.copyOf(mix);
        }

        public SitePlan(String name, int superPeers, int edgePeers, long cpuMillis, long memoryMiB, int pods,
                        double lanRttMs, int matrixIndex) {
            this(name, superPeers, edgePeers, cpuMillis, memoryMiB, pods, lanRttMs, matrixIndex, List.of());
        }

        /** The capacity of this site's {@code i}-th edge peer (0-based, counted within the site). */
        public EdgeCapacity edgeCapacity(int i) {
            return mix.isEmpty() ? new EdgeCapacity(cpuMillis, memoryMiB, pods) : mix.get(i % mix.size());
        }
    }

    /** What one edge peer offers to pods. */
    public record EdgeCapacity(long cpuMillis, long memoryMiB, int pods) {}

    /** {@code rttMs} is null for a constant WAN RTT; otherwise it is indexed by {@link SitePlan#matrixIndex()}. */
    public record LinkPlan(double wanRttMs, double[][] rttMs, String matrixSource, double jitterMs, double loss,
                           double bandwidthMbps) {
        /** {@code bandwidthMbps} 0 means unlimited. */
        public LinkPlan(double wanRttMs, double[][] rttMs, String matrixSource, double jitterMs, double loss) {
            this(wanRttMs, rttMs, matrixSource, jitterMs, loss, 0);
        }
    }

    public record WorkPlan(long atMillis, String kind, String name, int replicas, String usersSite, long cpuMillis,
                           long memoryMiB) {}

    /** Rates per millisecond of virtual time. */
    public record ChurnPlan(double crashPerPeerMillis, double leavePerPeerMillis, double joinPerMillis, long startMillis,
                            long endMillis) {
        public boolean active() {
            return crashPerPeerMillis > 0 || leavePerPeerMillis > 0 || joinPerMillis > 0;
        }
    }

    public record PartitionPlan(long atMillis, long healMillis, Set<String> sites) {}

    public record CrashPlan(long atMillis, String site, int index, long restartAtMillis) {}

    public record ProbePlan(double lookupsPerMinute, double writesPerMinute, int vivaldiPairs) {}

    public int totalPeers() {
        int n = 0;
        for (SitePlan s : sites) {
            n += s.superPeers() + s.edgePeers();
        }
        return n;
    }

    public SitePlan site(String name) {
        for (SitePlan s : sites) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** Multiplies edge peers (and super-peers, at least one per site) by {@code factor}. */
    public Plan scaled(double factor) {
        if (!(factor > 0) || factor > 100) {
            throw new ScenarioException("--scale must be in (0, 100], got " + factor);
        }
        List<SitePlan> out = sites.stream().map(s -> new SitePlan(s.name(), Math.max(1, (int) Math.round(s.superPeers() * factor)),
                (int) Math.round(s.edgePeers() * factor), s.cpuMillis(), s.memoryMiB(), s.pods(), s.lanRttMs(), s.matrixIndex())).toList();
        return new Plan(name, durationMillis, settleMillis, out, links, workload, churn, partitions, superPeerCrashes, probes);
    }

    public Plan withDuration(long millis) {
        if (millis <= 0) {
            throw new ScenarioException("duration must be positive");
        }
        return new Plan(name, millis, settleMillis, sites, links, workload, churn, partitions, superPeerCrashes, probes);
    }

    public Plan withSites(List<SitePlan> newSites) {
        return new Plan(name, durationMillis, settleMillis, List.copyOf(newSites), links, workload, churn, partitions,
                superPeerCrashes, probes);
    }
}
