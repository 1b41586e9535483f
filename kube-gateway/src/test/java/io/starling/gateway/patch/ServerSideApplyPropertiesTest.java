package io.starling.gateway.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class ServerSideApplyPropertiesTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String NOW = "2026-11-27T12:00:00Z";
    private static final int TRIES = 100;

    @Test
    void aSoleManagerGetsExactlyWhatItApplies() {
        qt().withExamples(TRIES).forAll(pods(), pods()).checkAssert((first, second) -> {
            JsonNode live = ServerSideApply.apply(null, first, "kubectl", false, NOW);
            JsonNode reapplied = ServerSideApply.apply(live, second, "kubectl", false, NOW);
            JsonNode fresh = ServerSideApply.apply(null, second, "kubectl", false, NOW);
            assertEquals(canonical(fresh), canonical(reapplied));
        });
    }

    @Test
    void applyIsIdempotent() {
        qt().withExamples(TRIES).forAll(pods(), pods()).checkAssert((config, before) -> {
            JsonNode once = ServerSideApply.apply(ServerSideApply.apply(null, before, "kubectl", false, NOW),
                    config, "kubectl", false, NOW);
            assertEquals(once, ServerSideApply.apply(once, config, "kubectl", false, NOW));
        });
    }

    @Test
    void managersOfDisjointFieldsNeverConflictNorRemoveEachOthersFields() {
        qt().withExamples(TRIES).forAll(labels(), labels()).checkAssert((mine, mineLater) -> {
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
        });
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

    /** Up to 4 distinct keys from a..d, each mapped to an independently drawn "1" or "2". */
    static Gen<Map<String, String>> labels() {
        Gen<String> values = Generate.pick(List.of("1", "2"));
        return distinct(List.of("a", "b", "c", "d"), 4).flatMap(keys -> lists()
                .of(values)
                .ofSize(keys.size())
                .map(vs -> {
                    Map<String, String> m = new TreeMap<>();
                    for (int i = 0; i < keys.size(); i++) {
                        m.put(keys.get(i), vs.get(i));
                    }
                    return m;
                }));
    }

    static Gen<ObjectNode> pods() {
        Gen<String> images = Generate.pick(List.of("nginx", "redis"));
        Gen<List<String>> envs = distinct(List.of("X", "Y", "Z"), 3);
        Gen<List<Integer>> portLists = distinct(List.of(80, 443), 2);
        // 1 to 3 containers with distinct names; image, env and ports drawn independently for each
        Gen<List<ObjectNode>> containers = distinct(List.of("a", "b", "c"), 1, 3).flatMap(names -> lists()
                .of(images.zip(envs, portLists, Container::new))
                .ofSize(names.size())
                .map(parts -> {
                    List<ObjectNode> out = new ArrayList<>(names.size());
                    for (int i = 0; i < names.size(); i++) {
                        out.add(container(names.get(i), parts.get(i)));
                    }
                    return out;
                }));
        Gen<List<String>> finalizerLists = distinct(List.of("f1", "f2", "f3"), 2);
        return containers.zip(labels(), finalizerLists, (cs, labels, finalizers) -> {
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
            ArrayNode list = pod.putObject("spec").putArray("containers");
            cs.forEach(list::add);
            return pod;
        });
    }

    private record Container(String image, List<String> env, List<Integer> ports) {}

    private static ObjectNode container(String name, Container parts) {
        String image = parts.image();
        ObjectNode c = F.objectNode().put("name", name).put("image", image);
        if (!parts.env().isEmpty()) {
            ArrayNode e = c.putArray("env");
            parts.env().forEach(n -> e.addObject().put("name", n).put("value", image));
        }
        if (!parts.ports().isEmpty()) {
            ArrayNode p = c.putArray("ports");
            parts.ports().forEach(n -> p.addObject().put("containerPort", n));
        }
        return c;
    }

    /** Between 0 and {@code maxSize} distinct elements of {@code pool}, in random order. */
    private static <T> Gen<List<T>> distinct(List<T> pool, int maxSize) {
        return distinct(pool, 0, maxSize);
    }

    /** Between {@code minSize} and {@code maxSize} distinct elements of {@code pool}, in random order. */
    private static <T> Gen<List<T>> distinct(List<T> pool, int minSize, int maxSize) {
        Gen<Integer> sizes = integers().between(minSize, maxSize);
        return in -> {
            List<T> left = new ArrayList<>(pool);
            int size = sizes.generate(in);
            List<T> out = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                out.add(left.remove((int) integers().between(0, left.size() - 1).generate(in)));
            }
            return out;
        };
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
