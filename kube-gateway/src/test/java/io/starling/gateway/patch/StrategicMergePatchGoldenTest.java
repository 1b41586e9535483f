package io.starling.gateway.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.starling.dht.kube.KubeJson;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Differential cases recorded from kubectl's own strategic merge patch (see the README beside the data). */
class StrategicMergePatchGoldenTest {

    static Stream<Arguments> cases() throws Exception {
        List<Arguments> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                StrategicMergePatchGoldenTest.class.getResourceAsStream("smp-golden-kubectl-1.32.jsonl"),
                StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                JsonNode c = KubeJson.MAPPER.readTree(line);
                out.add(Arguments.of(n++ + ": " + c.get("original").get("kind").asText(), c));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesKubectl(String name, JsonNode c) {
        JsonNode original = c.get("original");
        JsonNode result = StrategicMergePatch.apply(original, c.get("patch"),
                original.get("apiVersion").asText(), original.get("kind").asText());
        assertEquals(c.get("expected"), decoded(result), () -> "patch " + c.get("patch"));
    }

    /** What survives decoding into a typed object: no nulls, no directive keys. */
    private static JsonNode decoded(JsonNode node) {
        if (node.isObject()) {
            var out = KubeJson.MAPPER.createObjectNode();
            for (var it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isNull() && !e.getKey().startsWith("$")) {
                    out.set(e.getKey(), decoded(e.getValue()));
                }
            }
            return out;
        }
        if (node.isArray()) {
            var out = KubeJson.MAPPER.createArrayNode();
            node.forEach(v -> out.add(decoded(v)));
            return out;
        }
        return node;
    }
}
