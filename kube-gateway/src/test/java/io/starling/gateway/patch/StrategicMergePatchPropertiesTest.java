package io.starling.gateway.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class StrategicMergePatchPropertiesTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int TRIES = 300;

    @Test
    void emptyPatchIsIdentity() {
        qt().withExamples(TRIES).forAll(objects()).checkAssert(original ->
                assertEquals(original, StrategicMergePatch.apply(original, F.objectNode(), "v1", "ConfigMap")));
    }

    @Test
    void applyingAPatchTwiceEqualsOnce() {
        qt().withExamples(TRIES).forAll(objects(), patches()).checkAssert((original, patch) -> {
            JsonNode once = StrategicMergePatch.apply(original, patch, "v1", "ConfigMap");
            assertEquals(once, StrategicMergePatch.apply(once, patch, "v1", "ConfigMap"));
        });
    }

    @Test
    void containerPatchesAreIdempotent() {
        qt().withExamples(TRIES).forAll(pods(), pods()).checkAssert((pod, patch) -> {
            JsonNode once = StrategicMergePatch.apply(pod, patch, "v1", "Pod");
            assertEquals(once, StrategicMergePatch.apply(once, patch, "v1", "Pod"));
            // every container of the original and of the patch is there, each name once
            List<String> names = new ArrayList<>();
            once.path("spec").path("containers").forEach(c -> names.add(c.get("name").asText()));
            assertEquals(names.stream().distinct().count(), names.size());
            pod.path("spec").path("containers").forEach(c -> assertTrue(names.contains(c.get("name").asText())));
            patch.path("spec").path("containers").forEach(c -> assertTrue(names.contains(c.get("name").asText())));
        });
    }

    @Test
    void theDiffOfTwoObjectsTurnsOneIntoTheOther() {
        qt().withExamples(TRIES).forAll(objects(), objects()).checkAssert((a, b) ->
                assertEquals(b, StrategicMergePatch.apply(a, diff(a, b), "v1", "ConfigMap")));
    }

    /** Two-way diff for maps (lists replaced): the patch a client would send to turn a into b. */
    static ObjectNode diff(JsonNode a, JsonNode b) {
        ObjectNode patch = F.objectNode();
        for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!b.has(k)) {
                patch.putNull(k);
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = b.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode old = a.get(e.getKey());
            if (old != null && old.isObject() && e.getValue().isObject()) {
                ObjectNode sub = diff(old, e.getValue());
                if (sub.size() > 0) {
                    patch.set(e.getKey(), sub);
                }
            } else if (!e.getValue().equals(old)) {
                patch.set(e.getKey(), e.getValue().deepCopy());
            }
        }
        return patch;
    }

    static Gen<JsonNode> objects() {
        return object(3, false);
    }

    static Gen<JsonNode> patches() {
        return object(3, true);
    }

    static Gen<JsonNode> pods() {
        Gen<String> images = Generate.pick(List.of("nginx", "redis", "busybox"));
        Gen<List<String>> envs = distinct(List.of("X", "Y", "Z"), 2);
        // up to 4 containers with distinct names; image and env drawn independently for each
        return distinct(List.of("a", "b", "c", "d"), 4).flatMap(names -> lists()
                .of(images.zip(envs, Container::new))
                .ofSize(names.size())
                .map(parts -> {
                    ObjectNode pod = F.objectNode();
                    ArrayNode cs = pod.putObject("spec").putArray("containers");
                    for (int i = 0; i < names.size(); i++) {
                        String image = parts.get(i).image();
                        List<String> env = parts.get(i).env();
                        ObjectNode c = cs.addObject().put("name", names.get(i)).put("image", image);
                        if (!env.isEmpty()) {
                            ArrayNode e = c.putArray("env");
                            env.forEach(n -> e.addObject().put("name", n).put("value", image));
                        }
                    }
                    return pod;
                }));
    }

    private record Container(String image, List<String> env) {}

    /** Between 0 and {@code maxSize} distinct elements of {@code pool}, in random order. */
    private static <T> Gen<List<T>> distinct(List<T> pool, int maxSize) {
        Gen<Integer> sizes = integers().between(0, maxSize);
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

    private static Gen<JsonNode> object(int depth, boolean nulls) {
        Gen<JsonNode> value = value(depth - 1, nulls);
        // a map of up to 4 distinct keys from a..e to independently drawn values, fields sorted by key
        return distinct(List.of("a", "b", "c", "d", "e"), 4).flatMap(keys -> lists()
                .of(value)
                .ofSize(keys.size())
                .map(values -> {
                    Map<String, JsonNode> m = new TreeMap<>();
                    for (int i = 0; i < keys.size(); i++) {
                        m.put(keys.get(i), values.get(i));
                    }
                    ObjectNode o = F.objectNode();
                    m.forEach(o::set);
                    return (JsonNode) o;
                }));
    }

    private static Gen<JsonNode> value(int depth, boolean nulls) {
        Gen<JsonNode> leaf = Generate.oneOf(
                integers().between(-3, 3).map(i -> (JsonNode) F.numberNode(i)),
                Generate.pick(List.of("x", "y", "")).map(t -> (JsonNode) F.textNode(t)),
                booleans().all().map(b -> (JsonNode) F.booleanNode(b)),
                lists().of(integers().between(0, 3)).ofSizeBetween(0, 3).map(l -> {
                    ArrayNode a = F.arrayNode();
                    l.forEach(a::add);
                    return (JsonNode) a;
                }));
        if (nulls) {
            Gen<JsonNode> nonNull = leaf;
            leaf = Generate.oneOf(nonNull, Generate.<JsonNode>constant(F.nullNode()));
        }
        if (depth <= 0) {
            return leaf;
        }
        // depth is bounded, so the nested generator can be built eagerly
        return Generate.oneOf(leaf, leaf, object(depth, nulls));
    }
}
