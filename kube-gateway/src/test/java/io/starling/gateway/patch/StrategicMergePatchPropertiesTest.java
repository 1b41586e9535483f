package io.starling.gateway.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class StrategicMergePatchPropertiesTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Property(tries = 300)
    void emptyPatchIsIdentity(@ForAll("objects") JsonNode original) {
        assertEquals(original, StrategicMergePatch.apply(original, F.objectNode(), "v1", "ConfigMap"));
    }

    @Property(tries = 300)
    void applyingAPatchTwiceEqualsOnce(@ForAll("objects") JsonNode original, @ForAll("patches") JsonNode patch) {
        JsonNode once = StrategicMergePatch.apply(original, patch, "v1", "ConfigMap");
        assertEquals(once, StrategicMergePatch.apply(once, patch, "v1", "ConfigMap"));
    }

    @Property(tries = 300)
    void containerPatchesAreIdempotent(@ForAll("pods") JsonNode pod, @ForAll("pods") JsonNode patch) {
        JsonNode once = StrategicMergePatch.apply(pod, patch, "v1", "Pod");
        assertEquals(once, StrategicMergePatch.apply(once, patch, "v1", "Pod"));
        // every container of the original and of the patch is there, each name once
        List<String> names = new ArrayList<>();
        once.path("spec").path("containers").forEach(c -> names.add(c.get("name").asText()));
        assertEquals(names.stream().distinct().count(), names.size());
        pod.path("spec").path("containers").forEach(c -> assertTrue(names.contains(c.get("name").asText())));
        patch.path("spec").path("containers").forEach(c -> assertTrue(names.contains(c.get("name").asText())));
    }

    @Property(tries = 300)
    void theDiffOfTwoObjectsTurnsOneIntoTheOther(@ForAll("objects") JsonNode a, @ForAll("objects") JsonNode b) {
        assertEquals(b, StrategicMergePatch.apply(a, diff(a, b), "v1", "ConfigMap"));
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

    @Provide
    Arbitrary<JsonNode> objects() {
        return object(3, false);
    }

    @Provide
    Arbitrary<JsonNode> patches() {
        return object(3, true);
    }

    @Provide
    Arbitrary<JsonNode> pods() {
        Arbitrary<JsonNode> container = Combinators.combine(
                Arbitraries.of("a", "b", "c", "d"), Arbitraries.of("nginx", "redis", "busybox"),
                Arbitraries.of("X", "Y", "Z").list().ofMaxSize(2).uniqueElements())
                .as((name, image, env) -> {
                    ObjectNode c = F.objectNode().put("name", name).put("image", image);
                    if (!env.isEmpty()) {
                        ArrayNode e = c.putArray("env");
                        env.forEach(n -> e.addObject().put("name", n).put("value", image));
                    }
                    return c;
                });
        return container.list().ofMaxSize(4).uniqueElements(c -> c.get("name")).map(list -> {
            ObjectNode pod = F.objectNode();
            ArrayNode cs = pod.putObject("spec").putArray("containers");
            list.forEach(cs::add);
            return pod;
        });
    }

    private static Arbitrary<JsonNode> object(int depth, boolean nulls) {
        Arbitrary<JsonNode> value = value(depth - 1, nulls);
        return Arbitraries.maps(Arbitraries.of("a", "b", "c", "d", "e"), value).ofMaxSize(4).map(m -> {
            ObjectNode o = F.objectNode();
            m.keySet().stream().sorted().forEach(k -> o.set(k, m.get(k)));
            return o;
        });
    }

    private static Arbitrary<JsonNode> value(int depth, boolean nulls) {
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(
                Arbitraries.integers().between(-3, 3).map(F::numberNode),
                Arbitraries.of("x", "y", "").map(F::textNode),
                Arbitraries.of(true, false).map(F::booleanNode),
                Arbitraries.integers().between(0, 3).list().ofMaxSize(3).map(l -> {
                    ArrayNode a = F.arrayNode();
                    l.forEach(a::add);
                    return a;
                }));
        if (nulls) {
            leaf = Arbitraries.oneOf(leaf, Arbitraries.just(F.nullNode()));
        }
        if (depth <= 0) {
            return leaf;
        }
        return Arbitraries.oneOf(leaf, leaf, Arbitraries.lazy(() -> object(depth, nulls)));
    }
}
