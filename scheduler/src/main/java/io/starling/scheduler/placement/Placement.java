package io.starling.scheduler.placement;

import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The pure placement core: {@link #decide} is a function of its arguments only.
 *
 * <p>Filter, per node, in kube-scheduler's plugin order (the first failing check gives the node's
 * reason; the resource check may give several): NotReady (as the not-ready taint), cordoned
 * (spec.unschedulable), NoSchedule/NoExecute taints, nodeSelector + required node affinity,
 * cpu/memory/pod count against allocatable minus the requests of bound non-terminal pods, then
 * required inter-pod (anti-)affinity.
 *
 * <p>Score: proximity dominates: among feasible nodes only those whose predicted RTT to the users
 * is within {@link PlacementConfig#proximityToleranceMs()} of the best stay; among them the highest
 * of balanced allocation + least allocated + preferred node affinity + preferred pod affinity -
 * PreferNoSchedule taints + owner spread wins; ties go to the lower RTT, then the smaller node
 * name. Nothing depends on hash order.
 *
 * <p>Owner spread (kube-scheduler's default soft PodTopologySpread by hostname): among the near
 * nodes, the ones with fewest replicas of the pod's controller get {@value #SPREAD_WEIGHT} x 100,
 * the ones with most 0, linearly between. It weighs as much as the two resource scores together
 * (0..200), so replicas spread over equally near nodes even when their free resources differ
 * somewhat, but it never overrides proximity: it only ranks nodes within the proximity
 * tolerance, so another site or a node that is more than the tolerance farther from the users is
 * never chosen for the sake of spreading.
 */
public final class Placement {
    static final String TOO_MANY_PODS = "Too many pods";
    static final String INSUFFICIENT_CPU = "Insufficient cpu";
    static final String INSUFFICIENT_MEMORY = "Insufficient memory";
    static final String UNSCHEDULABLE = "node(s) were unschedulable";
    static final String SELECTOR_MISMATCH = "node(s) didn't match Pod's node affinity/selector";

    private static final Taint NOT_READY_TAINT = new Taint("NoSchedule", Taints.NOT_READY, null, null);
    private static final Taint UNSCHEDULABLE_TAINT = new Taint("NoSchedule", Taints.UNSCHEDULABLE, null, null);

    /** Owner spread counts as much as balanced + least allocated together (2 x 0..100). */
    static final int SPREAD_WEIGHT = 2;

    private final PlacementConfig config;

    public Placement(PlacementConfig config) {
        this.config = config;
    }

    public static Placement defaults() {
        return new Placement(PlacementConfig.defaults());
    }

    /**
     * @param pod the pod to place
     * @param nodes candidate nodes (the site's)
     * @param podsOnNodes pods already bound (any namespace); unbound, terminal ones and {@code pod} itself are ignored
     * @param users where the pod's users are
     */
    public Decision decide(PodInfo pod, List<NodeInfo> nodes, List<PodInfo> podsOnNodes, UsersLocation users) {
        List<NodeInfo> sorted = new ArrayList<>(nodes);
        sorted.sort(Comparator.comparing(NodeInfo::name));
        Map<String, NodeInfo> byName = new TreeMap<>();
        for (NodeInfo n : sorted) {
            byName.putIfAbsent(n.name(), n);
        }
        Map<String, ResourceAmounts> used = new TreeMap<>();
        List<PodAffinity.Placed> placed = new ArrayList<>();
        for (PodInfo p : podsOnNodes) {
            if (!p.bound() || p.terminal() || p.key().equals(pod.key())) {
                continue;
            }
            used.merge(p.nodeName(), p.requests(), ResourceAmounts::plus);
            NodeInfo n = byName.get(p.nodeName());
            if (n != null) {
                placed.add(new PodAffinity.Placed(p, n));
            }
        }

        SortedMap<String, Integer> reasons = new TreeMap<>();
        List<NodeInfo> feasible = new ArrayList<>();
        for (NodeInfo n : byName.values()) {
            List<String> r = filter(pod, n, used.getOrDefault(n.name(), ResourceAmounts.ZERO), placed);
            if (r.isEmpty()) {
                feasible.add(n);
            } else {
                for (String reason : r) {
                    reasons.merge(reason, 1, Integer::sum);
                }
            }
        }
        if (feasible.isEmpty()) {
            return Decision.unschedulable(byName.size(), reasons);
        }
        return score(pod, feasible, used, placed, users);
    }

    /** Reasons {@code node} cannot take {@code pod}; empty when it can. */
    List<String> filter(PodInfo pod, NodeInfo node, ResourceAmounts usedOnNode, List<PodAffinity.Placed> placed) {
        List<Toleration> tol = pod.tolerations();
        if (!node.ready() && !Taints.tolerated(NOT_READY_TAINT, tol)) {
            return List.of("node(s) had untolerated taint " + Taints.describe(NOT_READY_TAINT));
        }
        if (node.unschedulable() && !Taints.tolerated(UNSCHEDULABLE_TAINT, tol)) {
            return List.of(UNSCHEDULABLE);
        }
        Taint t = Taints.firstUntolerated(node.taints(), tol);
        if (t != null) {
            return List.of("node(s) had untolerated taint " + Taints.describe(t));
        }
        if (!Selectors.matchesNodeSelector(pod.nodeSelector(), node.labels()) || !requiredNodeAffinity(pod, node)) {
            return List.of(SELECTOR_MISMATCH);
        }
        ResourceAmounts free = node.allocatable().minus(usedOnNode);
        ResourceAmounts req = pod.requests();
        List<String> short_ = new ArrayList<>(3);
        if (req.pods() > free.pods()) {
            short_.add(TOO_MANY_PODS);
        }
        if (req.milliCpu() > free.milliCpu()) {
            short_.add(INSUFFICIENT_CPU);
        }
        if (req.memoryBytes() > free.memoryBytes()) {
            short_.add(INSUFFICIENT_MEMORY);
        }
        if (!short_.isEmpty()) {
            return short_;
        }
        String affinity = PodAffinity.reject(pod, node, placed);
        return affinity == null ? List.of() : List.of(affinity);
    }

    private static boolean requiredNodeAffinity(PodInfo pod, NodeInfo node) {
        NodeAffinity na = pod.affinity() == null ? null : pod.affinity().getNodeAffinity();
        if (na == null || na.getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
            return true;
        }
        return Selectors.matchesAnyTerm(na.getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms(), node);
    }

    private static long preferredNodeAffinity(PodInfo pod, NodeInfo node) {
        NodeAffinity na = pod.affinity() == null ? null : pod.affinity().getNodeAffinity();
        if (na == null || na.getPreferredDuringSchedulingIgnoredDuringExecution() == null) {
            return 0;
        }
        long sum = 0;
        for (PreferredSchedulingTerm t : na.getPreferredDuringSchedulingIgnoredDuringExecution()) {
            if (t.getWeight() != null && Selectors.matchesTerm(t.getPreference(), node)) {
                sum += t.getWeight();
            }
        }
        return sum;
    }

    private Decision score(PodInfo pod, List<NodeInfo> feasible, Map<String, ResourceAmounts> used,
                           List<PodAffinity.Placed> placed, UsersLocation users) {
        int n = feasible.size();
        double[] rtt = new double[n];
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            rtt[i] = predictedRtt(feasible.get(i), users);
            best = Math.min(best, rtt[i]);
        }
        List<Integer> near = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (Double.isInfinite(best) || rtt[i] <= best + config.proximityToleranceMs()) {
                near.add(i);
            }
        }
        long[] nodeAff = new long[n];
        long[] podAff = new long[n];
        int[] siblings = new int[n];
        long maxNodeAff = 0;
        long minPodAff = Long.MAX_VALUE;
        long maxPodAff = Long.MIN_VALUE;
        int minSiblings = Integer.MAX_VALUE;
        int maxSiblings = 0;
        for (int i : near) {
            nodeAff[i] = preferredNodeAffinity(pod, feasible.get(i));
            podAff[i] = PodAffinity.preferredScore(pod, feasible.get(i), placed);
            siblings[i] = siblingsOn(pod, feasible.get(i), placed);
            maxNodeAff = Math.max(maxNodeAff, nodeAff[i]);
            minPodAff = Math.min(minPodAff, podAff[i]);
            maxPodAff = Math.max(maxPodAff, podAff[i]);
            minSiblings = Math.min(minSiblings, siblings[i]);
            maxSiblings = Math.max(maxSiblings, siblings[i]);
        }
        int chosen = -1;
        double chosenScore = Double.NEGATIVE_INFINITY;
        for (int i : near) {
            NodeInfo node = feasible.get(i);
            double s = resourceScore(pod, node, used.getOrDefault(node.name(), ResourceAmounts.ZERO));
            if (maxNodeAff > 0) {
                s += 100.0 * nodeAff[i] / maxNodeAff;
            }
            if (maxPodAff > minPodAff) {
                s += 100.0 * (podAff[i] - minPodAff) / (maxPodAff - minPodAff);
            }
            s -= 100.0 * Taints.untoleratedPreferNoSchedule(node.taints(), pod.tolerations());
            if (maxSiblings > minSiblings) {
                s += SPREAD_WEIGHT * 100.0 * (maxSiblings - siblings[i]) / (maxSiblings - minSiblings);
            }
            // near is in node-name order, so on equal score and RTT the smaller name stays chosen
            if (chosen < 0 || s > chosenScore || (s == chosenScore && rtt[i] < rtt[chosen])) {
                chosen = i;
                chosenScore = s;
            }
        }
        NodeInfo node = feasible.get(chosen);
        return Decision.bind(node.name(), Double.isInfinite(rtt[chosen]) ? Double.NaN : rtt[chosen]);
    }

    /** Replicas of {@code pod}'s controller already on {@code node}. */
    private static int siblingsOn(PodInfo pod, NodeInfo node, List<PodAffinity.Placed> placed) {
        if (pod.ownerUid().isEmpty()) {
            return 0;
        }
        int count = 0;
        for (PodAffinity.Placed p : placed) {
            if (p.node().name().equals(node.name()) && pod.sameOwner(p.pod())) {
                count++;
            }
        }
        return count;
    }

    /** Predicted RTT node -> users, +infinity when either coordinate is unknown or shapes differ. */
    static double predictedRtt(NodeInfo node, UsersLocation users) {
        if (!users.known() || node.coordinate() == null || node.coordinate().dimensions() != users.coordinate().dimensions()) {
            return Double.POSITIVE_INFINITY;
        }
        return node.coordinate().distanceTo(users.coordinate());
    }

    /** kube-scheduler's BalancedAllocation plus LeastAllocated over cpu and memory, each 0..100. */
    private double resourceScore(PodInfo pod, NodeInfo node, ResourceAmounts usedOnNode) {
        long cpuReq = pod.requests().milliCpu() == 0 ? config.defaultMilliCpuForScoring() : pod.requests().milliCpu();
        long memReq = pod.requests().memoryBytes() == 0 ? config.defaultMemoryBytesForScoring() : pod.requests().memoryBytes();
        double cpu = fraction(usedOnNode.milliCpu() + cpuReq, node.allocatable().milliCpu());
        double mem = fraction(usedOnNode.memoryBytes() + memReq, node.allocatable().memoryBytes());
        double balanced = (1 - Math.abs(cpu - mem) / 2) * 100;
        double least = ((1 - cpu) + (1 - mem)) / 2 * 100;
        return balanced + least;
    }

    private static double fraction(long requested, long allocatable) {
        if (allocatable <= 0) {
            return 1;
        }
        return Math.min(1.0, (double) requested / allocatable);
    }
}
