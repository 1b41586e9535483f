package io.starling.gateway.scope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.dht.kube.Resources;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SiteAffinityTest {
    private static final ObjectMapper M = new ObjectMapper();
    private static final List<String> SITES = List.of("a", "b", "c", "d");

    private static ObjectNode parse(String json) throws Exception {
        return (ObjectNode) M.readTree(json);
    }

    @Test
    void podWithoutAffinityGetsTheScopeSites() throws Exception {
        ObjectNode pod = parse("{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[]}}");
        SiteAffinity.apply(Resources.PODS, pod, Set.of("b", "a"));
        JsonNode expr = pod.at("/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms/0/matchExpressions/0");
        assertEquals("starling.io/site", expr.path("key").asText());
        assertEquals("In", expr.path("operator").asText());
        assertEquals("[\"a\",\"b\"]", expr.path("values").toString());
        assertEquals("a", pod.at("/metadata/annotations/starling.io~1home-site").asText(), "homed where it may run");
        ObjectNode homed = parse("{\"metadata\":{\"annotations\":{\"starling.io/home-site\":\"b\"}},\"spec\":{}}");
        SiteAffinity.apply(Resources.PODS, homed, Set.of("b", "a"));
        assertEquals("b", homed.at("/metadata/annotations/starling.io~1home-site").asText(), "an allowed home stays");
    }

    @Test
    void deploymentTemplateIsConstrainedAndOtherKindsAreNot() throws Exception {
        ObjectNode d = parse("{\"spec\":{\"template\":{\"spec\":{}}}}");
        SiteAffinity.apply(Resources.DEPLOYMENTS, d, Set.of("a"));
        assertTrue(d.at("/spec/template/spec/affinity/nodeAffinity").isObject(), d.toString());
        ObjectNode cm = parse("{\"data\":{}}");
        SiteAffinity.apply(Resources.CONFIGMAPS, cm, Set.of("a"));
        assertEquals("{\"data\":{}}", cm.toString());
        ObjectNode free = parse("{\"spec\":{}}");
        SiteAffinity.apply(Resources.PODS, free, Set.of());
        assertEquals("{\"spec\":{}}", free.toString(), "no sites = no restriction");
    }

    /** Idempotent, and the pod may only land on a site that both the user's own terms and the scope allow. */
    @Test
    void mutationIsIdempotentAndNarrowsEveryTerm() {
        qt().forAll(lists().of(integers().between(0, 3)).ofSizeBetween(0, 3), lists().of(integers().between(0, 3)).ofSizeBetween(1, 3),
                integers().between(0, 2)).checkAssert((userSites, scopeSites, extraTerms) -> {
                    try {
                        StringBuilder terms = new StringBuilder();
                        String userExpr = "{\"key\":\"starling.io/site\",\"operator\":\"In\",\"values\":"
                                + M.writeValueAsString(userSites.stream().map(SITES::get).toList()) + "}";
                        terms.append("{\"matchExpressions\":[").append(userExpr).append("]}");
                        for (int i = 0; i < extraTerms; i++) {
                            terms.append(",{\"matchExpressions\":[{\"key\":\"disk\",\"operator\":\"Exists\"}]}");
                        }
                        ObjectNode pod = parse("{\"spec\":{\"affinity\":{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":"
                                + "{\"nodeSelectorTerms\":[" + terms + "]}}}}}");
                        Set<String> scope = new TreeSet<>(scopeSites.stream().map(SITES::get).toList());
                        SiteAffinity.apply(Resources.PODS, pod, scope);
                        String once = pod.toString();
                        SiteAffinity.apply(Resources.PODS, pod, scope);
                        assertEquals(once, pod.toString(), "idempotent");
                        for (JsonNode term : pod.at("/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms")) {
                            Set<String> allowed = null;
                            for (JsonNode e : term.path("matchExpressions")) {
                                if (e.path("key").asText().equals("starling.io/site")) {
                                    allowed = new TreeSet<>();
                                    for (JsonNode v : e.path("values")) {
                                        allowed.add(v.asText());
                                    }
                                }
                            }
                            assertTrue(allowed != null && scope.containsAll(allowed), "every term is limited to the scope: " + term);
                        }
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
    }
}
