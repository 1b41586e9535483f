package io.starling.gateway.scope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.dht.kube.ResourceType;
import io.starling.dht.kube.Resources;
import io.starling.dht.kube.StarlingLabels;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps a scope's pods on the sites shared with it ({@code spec.sites}): every write of a Pod, or
 * of a Deployment or ReplicaSet (whose pods the controllers copy from the template), in a namespace
 * of such a scope gets the requirement {@code starling.io/site In (sites)} in its required node
 * affinity, and the site scheduler's node-affinity filter does the rest.
 *
 * <p>The requirement is ANDed into every existing node-selector term (terms are ORed, requirements
 * inside a term ANDed); a term that already constrains {@code starling.io/site} with {@code In}
 * keeps only the values also in the scope's sites (possibly none: then the pod cannot be placed,
 * which is right). The mutation is idempotent, so re-applying it on every update changes nothing
 * and does not bump the generation or roll a Deployment. Pure: no I/O.
 *
 * <p>An object homed (annotation {@code starling.io/home-site}) outside the scope's sites is
 * re-homed to the first of them in name order: a site schedules only the pods homed in it and its
 * spill-over does not read node affinity, so the pods must start at a site that may run them.
 */
public final class SiteAffinity {
    private SiteAffinity() {}

    /** Adds the site requirement to {@code object} when {@code sites} is not empty; other kinds are left alone. */
    public static void apply(ResourceType rt, ObjectNode object, Set<String> sites) {
        if (sites.isEmpty()) {
            return;
        }
        ObjectNode podSpec;
        if (rt == Resources.PODS) {
            podSpec = with(object, "spec");
        } else if (rt == Resources.DEPLOYMENTS || rt == Resources.REPLICA_SETS) {
            podSpec = with(with(with(object, "spec"), "template"), "spec");
        } else {
            return;
        }
        ObjectNode annotations = with(with(object, "metadata"), "annotations");
        if (!sites.contains(annotations.path(StarlingLabels.HOME_SITE).asText(""))) {
            annotations.put(StarlingLabels.HOME_SITE, new TreeSet<>(sites).first());
        }
        ObjectNode required = with(with(with(podSpec, "affinity"), "nodeAffinity"), "requiredDuringSchedulingIgnoredDuringExecution");
        ArrayNode terms = required.has("nodeSelectorTerms") && required.get("nodeSelectorTerms").isArray()
                ? (ArrayNode) required.get("nodeSelectorTerms") : required.putArray("nodeSelectorTerms");
        if (terms.isEmpty()) {
            terms.addObject();
        }
        for (JsonNode t : terms) {
            if (t instanceof ObjectNode term) {
                constrain(term, sites);
            }
        }
    }

    private static void constrain(ObjectNode term, Set<String> sites) {
        ArrayNode exprs = term.has("matchExpressions") && term.get("matchExpressions").isArray()
                ? (ArrayNode) term.get("matchExpressions") : term.putArray("matchExpressions");
        for (JsonNode e : exprs) {
            if (e instanceof ObjectNode expr && StarlingLabels.SITE.equals(expr.path("key").asText())
                    && "In".equals(expr.path("operator").asText())) {
                Set<String> keep = new LinkedHashSet<>();
                expr.path("values").forEach(v -> {
                    if (sites.contains(v.asText())) {
                        keep.add(v.asText());
                    }
                });
                ArrayNode values = expr.putArray("values");
                keep.forEach(values::add);
                return;
            }
        }
        ObjectNode expr = exprs.addObject();
        expr.put("key", StarlingLabels.SITE);
        expr.put("operator", "In");
        ArrayNode values = expr.putArray("values");
        List<String> sorted = new ArrayList<>(new TreeSet<>(sites));
        sorted.forEach(values::add);
    }

    private static ObjectNode with(ObjectNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n instanceof ObjectNode o) {
            return o;
        }
        return parent.putObject(field);
    }
}
