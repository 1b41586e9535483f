package io.starling.gateway.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ServerSideApplyPropertiesTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String NOW = "2026-11-27T12:00:00Z";

    @Property(tries = 100)
    void aSoleManagerGetsExactlyWhatItApplies(@ForAll("pods") ObjectNode first, @ForAll("pods") ObjectNode second) {
        JsonNode live = ServerSideApply.apply(null, first, "kubectl", false, NOW);
        JsonNode reapplied = ServerSideApply.apply(live, second, "kubectl", false, NOW);
        JsonNode fresh = ServerSideApply.apply(null, second, "kubectl", false, NOW);
        assertEquals(canonical(fresh), canonical(reapplied));
    }

    @Property(tries = 100)
    void applyIsIdempotent(@ForAll("pods") ObjectNode config, @ForAll("pods") ObjectNode before) {
        JsonNode once = ServerSideApply.apply(ServerSideApply.apply(null, before, "kubectl", false, NOW),
                config, "kubectl", false, NOW);
        assertEquals(once, ServerSideApply.apply(once, config, "kubectl", false, NOW));
    }

    @Property(tries = 100)
    void managersOfDisjointFieldsNeverConflictNorRemoveEachOthersFields(
            @ForAll("labels") Map<String, String> mine, @ForAll("labels") Map<String, String> mineLater) {
        JsonNode live = ServerSideApply.apply(null, configMap(Map.of("other-key", "x")), "other", false, NOW);
        live = ServerSideApply.apply(live, configMap(prefixed(mine)), "mine", false, NOW);
        live = ServerSideApply.apply(live, configMap(prefixed(mineLater)), "mine", false, NOW);
        assertEquals("x", live.at("/data/other-key").asText());
        assertEquals(mineLater.size() + 1, live.get("data").size());
        for (JsonNode e : live.at("/metadata/managedFields")) {
            FieldSet owned = FieldSet.fromFieldsV1(e.get("fieldsV1"));
            owned.checkInvariants();
            for (List<String> path : owned.members()) {
                assertFalse(ObjectPaths.get(live, path).isMissingNode(), "owned path " + path + " exists");
            }
        }
    }

    private static Map<String, String> prefixed(Map<String, String> data) {
        Map<String, String> out = new java.util.TreeMap<>();
        data.forEach((k, v) -> out.put("mine-" + k, v));
        return out;
    }

    private static ObjectNode configMap(Map<String, String> data) {
        ObjectNode cm = F.objectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
        cm.putObject("metadata").put("name", "cm");
        ObjectNode d = cm.putObject("data");
        data.keySet().stream().sorted().forEach(k -> d.put(k, data.get(k)));
        return cm;
    }

    @Provide
    Arbitrary<Map<String, String>> labels() {
        return Arbitraries.maps(Arbitraries.of("a", "b", "c", "d"), Arbitraries.of("1", "2")).ofMaxSize(4);
    }

    @Provide
    Arbitrary<ObjectNode> pods() {
        Arbitrary<ObjectNode> container = Combinators.combine(
                Arbitraries.of("a", "b", "c"), Arbitraries.of("nginx", "redis"),
                Arbitraries.of("X", "Y", "Z").list().ofMaxSize(3).uniqueElements(),
                Arbitraries.of(80, 443).list().ofMaxSize(2).uniqueElements())
                .as((name, image, env, ports) -> {
                    ObjectNode c = F.objectNode().put("name", name).put("image", image);
                    if (!env.isEmpty()) {
                        ArrayNode e = c.putArray("env");
                        env.forEach(n -> e.addObject().put("name", n).put("value", image));
                    }
                    if (!ports.isEmpty()) {
                        ArrayNode p = c.putArray("ports");
                        ports.forEach(n -> p.addObject().put("containerPort", n));
                    }
                    return c;
                });
        return Combinators.combine(container.list().ofMinSize(1).ofMaxSize(3).uniqueElements(c -> c.get("name")),
                labels(), Arbitraries.of("f1", "f2", "f3").list().ofMaxSize(2).uniqueElements())
                .as((containers, labels, finalizers) -> {
                    ObjectNode pod = F.objectNode().put("apiVersion", "v1").put("kind", "Pod");
                    ObjectNode meta = pod.putObject("metadata").put("name", "p");
                    if (!labels.isEmpty()) {
                        ObjectNode l = meta.putObject("labels");
                        labels.keySet().stream().sorted().forEach(k -> l.put(k, labels.get(k)));
                    }
                    if (!finalizers.isEmpty()) {
                        ArrayNode f = meta.putArray("finalizers");
                        finalizers.forEach(f::add);
                    }
                    ArrayNode cs = pod.putObject("spec").putArray("containers");
                    containers.forEach(cs::add);
                    return pod;
                });
    }

    /** The object without managedFields, with keyed lists sorted by name (their order is not ownership). */
    private static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = F.objectNode();
            node.fieldNames().forEachRemaining(k -> {
                if (!k.equals("managedFields")) {
                    out.set(k, canonical(node.get(k)));
                }
            });
            return out;
        }
        if (node.isArray()) {
            List<JsonNode> items = new ArrayList<>();
            node.forEach(n -> items.add(canonical(n)));
            items.sort(Comparator.comparing(JsonNode::toString));
            ArrayNode out = F.arrayNode();
            items.forEach(out::add);
            return out;
        }
        return node;
    }
}
