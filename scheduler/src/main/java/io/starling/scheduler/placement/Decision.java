package io.starling.scheduler.placement;

import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Outcome of one placement: a node, or why none fits.
 *
 * @param nodeName chosen node, or null when unschedulable
 * @param message for an unschedulable pod the kube-scheduler style message
 *                ("0/3 nodes are available: 1 Insufficient cpu, 2 node(s) were unschedulable.")
 * @param reasons filter reasons with the number of nodes that gave each (sorted by reason)
 * @param predictedRttMs predicted RTT from the chosen node to the users (NaN when unknown)
 */
public record Decision(String nodeName, String message, SortedMap<String, Integer> reasons, double predictedRttMs) {
    public Decision {
        reasons = new TreeMap<>(reasons == null ? new TreeMap<>() : reasons);
    }

    public static Decision bind(String nodeName, double predictedRttMs) {
        return new Decision(nodeName, null, null, predictedRttMs);
    }

    public static Decision unschedulable(int nodes, SortedMap<String, Integer> reasons) {
        StringBuilder sb = new StringBuilder("0/").append(nodes).append(" nodes are available");
        if (!reasons.isEmpty()) {
            sb.append(": ");
            String sep = "";
            for (var e : reasons.entrySet()) {
                sb.append(sep).append(e.getValue()).append(' ').append(e.getKey());
                sep = ", ";
            }
        }
        return new Decision(null, sb.append('.').toString(), reasons, Double.NaN);
    }

    public boolean scheduled() {
        return nodeName != null;
    }

    /** True when every node was rejected for resources only (so another site with capacity may fit). */
    public boolean onlyResourceShortage() {
        if (scheduled() || reasons.isEmpty()) {
            return false;
        }
        for (String r : reasons.keySet()) {
            if (!r.startsWith("Insufficient ") && !r.equals(Placement.TOO_MANY_PODS)) {
                return false;
            }
        }
        return true;
    }
}
