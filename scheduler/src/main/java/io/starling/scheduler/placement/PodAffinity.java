package io.starling.scheduler.placement;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import java.util.List;
import java.util.Objects;

/**
 * Inter-pod affinity and anti-affinity (required terms filter, preferred terms score) over any
 * topology key; kubernetes.io/hostname and starling.io/site are the ones Starling's nodes always
 * carry. Works on the bound pods of the nodes the scheduler sees.
 */
final class PodAffinity {
    static final String AFFINITY_MISMATCH = "node(s) didn't match pod affinity rules";
    static final String ANTI_AFFINITY_MISMATCH = "node(s) didn't match pod anti-affinity rules";
    static final String EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";

    /** A bound pod with the node it is bound to. */
    record Placed(PodInfo pod, NodeInfo node) {}

    private PodAffinity() {}

    /** @return the reject reason for {@code node}, or null when all required terms hold */
    static String reject(PodInfo pod, NodeInfo node, List<Placed> placed) {
        for (Placed p : placed) {
            for (PodAffinityTerm t : required(p.pod().affinity(), false)) {
                if (termMatches(t, p.pod(), pod) && sameTopology(t.getTopologyKey(), p.node(), node)) {
                    return EXISTING_ANTI_AFFINITY;
                }
            }
        }
        for (PodAffinityTerm t : required(pod.affinity(), true)) {
            boolean found = false;
            boolean anywhere = false;
            for (Placed p : placed) {
                if (termMatches(t, pod, p.pod())) {
                    anywhere = true;
                    if (sameTopology(t.getTopologyKey(), p.node(), node)) {
                        found = true;
                        break;
                    }
                }
            }
            // the first pod of a group that selects itself may go anywhere (as kube-scheduler allows)
            boolean selfStart = !anywhere && termMatches(t, pod, pod) && node.topologyValue(t.getTopologyKey()) != null;
            if (!found && !selfStart) {
                return AFFINITY_MISMATCH;
            }
        }
        for (PodAffinityTerm t : required(pod.affinity(), false)) {
            for (Placed p : placed) {
                if (termMatches(t, pod, p.pod()) && sameTopology(t.getTopologyKey(), p.node(), node)) {
                    return ANTI_AFFINITY_MISMATCH;
                }
            }
        }
        return null;
    }

    /** Sum of weight x matching pods of preferred affinity terms minus the same for anti-affinity. */
    static long preferredScore(PodInfo pod, NodeInfo node, List<Placed> placed) {
        long score = 0;
        if (pod.affinity() == null) {
            return 0;
        }
        if (pod.affinity().getPodAffinity() != null) {
            score += weighted(pod.affinity().getPodAffinity().getPreferredDuringSchedulingIgnoredDuringExecution(), pod, node, placed);
        }
        if (pod.affinity().getPodAntiAffinity() != null) {
            score -= weighted(pod.affinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution(), pod, node, placed);
        }
        return score;
    }

    private static long weighted(List<WeightedPodAffinityTerm> terms, PodInfo pod, NodeInfo node, List<Placed> placed) {
        long s = 0;
        if (terms == null) {
            return 0;
        }
        for (WeightedPodAffinityTerm w : terms) {
            PodAffinityTerm t = w.getPodAffinityTerm();
            if (t == null || w.getWeight() == null) {
                continue;
            }
            for (Placed p : placed) {
                if (termMatches(t, pod, p.pod()) && sameTopology(t.getTopologyKey(), p.node(), node)) {
                    s += w.getWeight();
                }
            }
        }
        return s;
    }

    private static List<PodAffinityTerm> required(Affinity a, boolean affinity) {
        if (a == null) {
            return List.of();
        }
        List<PodAffinityTerm> terms;
        if (affinity) {
            terms = a.getPodAffinity() == null ? null : a.getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
        } else {
            terms = a.getPodAntiAffinity() == null ? null : a.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
        }
        return terms == null ? List.of() : terms;
    }

    private static boolean sameTopology(String key, NodeInfo a, NodeInfo b) {
        if (key == null || key.isEmpty()) {
            return false;
        }
        String va = a.topologyValue(key);
        return va != null && Objects.equals(va, b.topologyValue(key));
    }

    /** Whether {@code candidate} is selected by {@code term} written on {@code owner}. */
    static boolean termMatches(PodAffinityTerm term, PodInfo owner, PodInfo candidate) {
        if (!namespaceMatches(term, owner, candidate)) {
            return false;
        }
        return Selectors.matchesLabelSelector(term.getLabelSelector(), candidate.labels());
    }

    private static boolean namespaceMatches(PodAffinityTerm term, PodInfo owner, PodInfo candidate) {
        List<String> namespaces = term.getNamespaces();
        LabelSelector nsSelector = term.getNamespaceSelector();
        if (nsSelector != null && isEmpty(nsSelector)) {
            return true; // {} selects every namespace
        }
        if (namespaces != null && !namespaces.isEmpty()) {
            return namespaces.contains(candidate.namespace());
        }
        // namespace labels are not known here: a non-empty namespaceSelector falls back to the owner's namespace
        return owner.namespace().equals(candidate.namespace());
    }

    private static boolean isEmpty(LabelSelector s) {
        return (s.getMatchLabels() == null || s.getMatchLabels().isEmpty())
                && (s.getMatchExpressions() == null || s.getMatchExpressions().isEmpty());
    }
}
