package io.starling.scheduler.placement;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import java.util.List;
import java.util.Map;

/** Label selector semantics of the Kubernetes API (pure functions). */
final class Selectors {
    private Selectors() {}

    /** nodeSelector: every entry must be a label of the node with the same value. */
    static boolean matchesNodeSelector(Map<String, String> selector, Map<String, String> labels) {
        for (Map.Entry<String, String> e : selector.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** nodeSelectorTerms are ORed; an empty list matches nothing. */
    static boolean matchesAnyTerm(List<NodeSelectorTerm> terms, NodeInfo node) {
        if (terms == null) {
            return false;
        }
        for (NodeSelectorTerm t : terms) {
            if (matchesTerm(t, node)) {
                return true;
            }
        }
        return false;
    }

    /** The requirements of one term are ANDed; a term without requirements matches nothing. */
    static boolean matchesTerm(NodeSelectorTerm term, NodeInfo node) {
        if (term == null) {
            return false;
        }
        List<NodeSelectorRequirement> exprs = term.getMatchExpressions() == null ? List.of() : term.getMatchExpressions();
        List<NodeSelectorRequirement> fields = term.getMatchFields() == null ? List.of() : term.getMatchFields();
        if (exprs.isEmpty() && fields.isEmpty()) {
            return false;
        }
        for (NodeSelectorRequirement r : exprs) {
            if (!matchesRequirement(r.getOperator(), r.getValues(), node.labels().get(r.getKey()))) {
                return false;
            }
        }
        for (NodeSelectorRequirement r : fields) {
            String value = "metadata.name".equals(r.getKey()) ? node.name() : null;
            if (!matchesRequirement(r.getOperator(), r.getValues(), value)) {
                return false;
            }
        }
        return true;
    }

    /** In / NotIn / Exists / DoesNotExist / Gt / Lt on one (possibly absent) label value. */
    static boolean matchesRequirement(String operator, List<String> values, String value) {
        List<String> vs = values == null ? List.of() : values;
        if (operator == null) {
            return false;
        }
        switch (operator) {
            case "In":
                return value != null && vs.contains(value);
            case "NotIn":
                return value == null || !vs.contains(value);
            case "Exists":
                return value != null;
            case "DoesNotExist":
                return value == null;
            case "Gt":
            case "Lt":
                if (value == null || vs.size() != 1) {
                    return false;
                }
                try {
                    long have = Long.parseLong(value.trim());
                    long want = Long.parseLong(vs.get(0).trim());
                    return "Gt".equals(operator) ? have > want : have < want;
                } catch (NumberFormatException e) {
                    return false;
                }
            default:
                return false;
        }
    }

    /** metav1.LabelSelector: null matches nothing, an empty selector matches everything. */
    static boolean matchesLabelSelector(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                String op = r.getOperator();
                if ("Gt".equals(op) || "Lt".equals(op)) {
                    return false; // not valid in a label selector
                }
                if (!matchesRequirement(op, r.getValues(), labels.get(r.getKey()))) {
                    return false;
                }
            }
        }
        return true;
    }
}
