package io.starling.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class OpenApiV2Test {
    private static final String DEPLOYMENT = "io.k8s.api.apps.v1.Deployment";
    private static final String POD_SPEC = "io.k8s.api.core.v1.PodSpec";

    @Test
    void jsonIsSwagger2WithDefinitionsForEveryServedKind() throws IOException {
        JsonNode doc = Json.MAPPER.readTree(OpenApiV2.json());
        assertEquals("2.0", doc.get("swagger").asText());
        JsonNode defs = doc.get("definitions");
        for (var rt : ServedResources.ALL) {
            JsonNode def = defs.get(OpenApi.schemaName(rt.type()));
            assertNotNull(def, "definition of " + rt.kind());
            assertTrue(def.get("properties").has("metadata"), rt.kind());
            boolean tagged = false;
            for (JsonNode gvk : def.get("x-kubernetes-group-version-kind")) {
                tagged |= gvk.get("kind").asText().equals(rt.kind()) && gvk.get("group").asText().equals(rt.group())
                        && gvk.get("version").asText().equals(rt.version());
            }
            assertTrue(tagged, "GVK extension on " + rt.kind());
        }
        assertTrue(doc.get("paths").has("/apis/apps/v1/namespaces/{namespace}/deployments/{name}"));
    }

    @Test
    void everyReferenceResolvesAndEveryArrayHasOneItemSchema() throws IOException {
        JsonNode doc = Json.MAPPER.readTree(OpenApiV2.json());
        JsonNode defs = doc.get("definitions");
        List<String> problems = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = defs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            walk(e.getValue(), e.getKey(), defs, problems);
        }
        assertEquals(List.of(), problems);
    }

    private static void walk(JsonNode s, String at, JsonNode defs, List<String> problems) {
        if (s.has("$ref")) {
            String ref = s.get("$ref").asText();
            if (!ref.startsWith("#/definitions/") || !defs.has(ref.substring("#/definitions/".length()))) {
                problems.add(at + ": dangling " + ref);
            }
            if (s.has("type") || s.has("properties")) {
                problems.add(at + ": $ref with a type");
            }
        }
        if (s.path("type").asText().equals("array") && !(s.has("items") && s.get("items").isObject())) {
            problems.add(at + ": array without items");
        }
        if (s.has("items")) {
            walk(s.get("items"), at + "[]", defs, problems);
        }
        if (s.has("additionalProperties")) {
            walk(s.get("additionalProperties"), at + "{}", defs, problems);
        }
        s.path("properties").fields().forEachRemaining(p -> walk(p.getValue(), at + "." + p.getKey(), defs, problems));
    }

    @Test
    void listFieldsCarryTheStrategicMergePatchExtensions() throws IOException {
        JsonNode defs = Json.MAPPER.readTree(OpenApiV2.json()).get("definitions");
        JsonNode containers = defs.get(POD_SPEC).get("properties").get("containers");
        assertEquals("merge", containers.get("x-kubernetes-patch-strategy").asText());
        assertEquals("name", containers.get("x-kubernetes-patch-merge-key").asText());
        assertEquals("#/definitions/io.k8s.api.core.v1.Container", containers.get("items").get("$ref").asText());
        JsonNode volumes = defs.get(POD_SPEC).get("properties").get("volumes");
        assertEquals("merge,retainKeys", volumes.get("x-kubernetes-patch-strategy").asText());
        JsonNode env = defs.get("io.k8s.api.core.v1.Container").get("properties").get("env");
        assertEquals("name", env.get("x-kubernetes-patch-merge-key").asText());
        // Atomic lists have no strategy: clients replace them whole.
        JsonNode args = defs.get("io.k8s.api.core.v1.Container").get("properties").get("args");
        assertFalse(args.has("x-kubernetes-patch-strategy"));
        JsonNode finalizers = defs.get("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta").get("properties").get("finalizers");
        assertEquals("merge", finalizers.get("x-kubernetes-patch-strategy").asText());
        assertFalse(finalizers.has("x-kubernetes-patch-merge-key"));
    }

    @Test
    void protobufDecodesToTheSameDefinitionsWithTheGvkExtension() throws IOException {
        Map<Integer, List<Object>> doc = decode(OpenApiV2.protobuf());
        assertEquals("2.0", text(doc.get(1).get(0)));
        assertEquals("Kubernetes", text(decode((byte[]) doc.get(2).get(0)).get(1).get(0)));
        Map<String, Map<Integer, List<Object>>> defs = named(decode((byte[]) doc.get(9).get(0)).get(1));
        assertEquals(OpenApiV2.definitionNames(), new ArrayList<>(defs.keySet()));

        Map<Integer, List<Object>> deployment = defs.get(DEPLOYMENT);
        assertEquals(List.of("object"), strings(decode((byte[]) deployment.get(22).get(0)).get(1)));
        Map<String, Map<Integer, List<Object>>> ext = named(deployment.get(31));
        // The Any carries YAML text in field 2 (JSON is valid YAML).
        JsonNode gvkList = Json.MAPPER.readTree(text(decodeAny(ext.get("x-kubernetes-group-version-kind"))));
        assertEquals("apps", gvkList.get(0).get("group").asText());
        assertEquals("v1", gvkList.get(0).get("version").asText());
        assertEquals("Deployment", gvkList.get(0).get("kind").asText());

        Map<String, Map<Integer, List<Object>>> props = named(decode((byte[]) deployment.get(25).get(0)).get(1));
        assertEquals("#/definitions/io.k8s.api.apps.v1.DeploymentSpec", text(props.get("spec").get(1).get(0)));

        Map<String, Map<Integer, List<Object>>> podSpecProps = named(decode((byte[]) defs.get(POD_SPEC).get(25).get(0)).get(1));
        Map<Integer, List<Object>> containers = podSpecProps.get("containers");
        Map<String, Map<Integer, List<Object>>> cext = named(containers.get(31));
        assertEquals("\"name\"", text(decodeAny(cext.get("x-kubernetes-patch-merge-key"))));
        List<Object> items = decode((byte[]) containers.get(23).get(0)).get(1);
        assertEquals(1, items.size());
        assertEquals("#/definitions/io.k8s.api.core.v1.Container", text(decode((byte[]) items.get(0)).get(1).get(0)));
    }

    @Test
    void patchOperationsCarryTheGvkAndTheDryRunParameter() throws IOException {
        // kubectl 1.20 checks this before --dry-run=server
        Map<Integer, List<Object>> doc = decode(OpenApiV2.protobuf());
        Map<String, Map<Integer, List<Object>>> paths = named(decode((byte[]) doc.get(8).get(0)).get(2));
        Map<Integer, List<Object>> item = paths.get("/apis/apps/v1/namespaces/{namespace}/deployments/{name}");
        Map<Integer, List<Object>> patch = decode((byte[]) item.get(8).get(0));
        JsonNode gvk = Json.MAPPER.readTree(text(decodeAny(named(patch.get(13)).get("x-kubernetes-group-version-kind"))));
        assertEquals("Deployment", gvk.get("kind").asText());
        List<String> queryParams = new ArrayList<>();
        boolean body = false;
        for (Object p : patch.get(8)) {
            Map<Integer, List<Object>> parameter = decode((byte[]) decode((byte[]) p).get(1).get(0));
            if (parameter.containsKey(1)) {
                body = true;
                continue;
            }
            Map<Integer, List<Object>> nonBody = decode((byte[]) parameter.get(2).get(0));
            if (nonBody.containsKey(3)) {
                queryParams.add(text(decode((byte[]) nonBody.get(3).get(0)).get(4).get(0)));
            }
        }
        assertTrue(body, "a body parameter");
        assertTrue(queryParams.contains("dryRun"), queryParams.toString());
        assertFalse(patch.containsKey(7), "no consumes: newer kubectl keeps computing patches from its own types");
    }

    @Test
    void encoderRejectsKeysWithoutAProtobufField() {
        ObjectNode doc = Json.object();
        doc.put("swagger", "2.0");
        doc.putObject("definitions").putObject("X").put("patternProperties", "nope");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GnosticEncoder.encode(doc));
        assertTrue(e.getMessage().contains("/definitions/X/patternProperties"), e.getMessage());
    }

    @Test
    void acceptHeaderSelectsProtobuf() {
        assertTrue(OpenApiV2.wantsProtobuf(OpenApiV2.PROTOBUF_TYPE));
        assertTrue(OpenApiV2.wantsProtobuf("application/com.github.proto-openapi.spec.v2.v1.0+protobuf, application/json"));
        assertFalse(OpenApiV2.wantsProtobuf("application/json"));
        assertFalse(OpenApiV2.wantsProtobuf(""));
    }

    // --- a minimal protobuf reader: field number -> values (varints as Long, length-delimited as byte[]) ---

    private static Map<Integer, List<Object>> decode(byte[] b) throws IOException {
        Map<Integer, List<Object>> out = new TreeMap<>();
        CodedInputStream in = CodedInputStream.newInstance(b);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = WireFormat.getTagFieldNumber(tag);
            Object v = switch (WireFormat.getTagWireType(tag)) {
                case WireFormat.WIRETYPE_VARINT -> in.readInt64();
                case WireFormat.WIRETYPE_LENGTH_DELIMITED -> in.readByteArray();
                default -> throw new AssertionError("unexpected wire type in field " + field);
            };
            out.computeIfAbsent(field, k -> new ArrayList<>()).add(v);
        }
        return out;
    }

    /** Repeated Named* messages (name = 1, value = 2) as name -> decoded value. */
    private static Map<String, Map<Integer, List<Object>>> named(List<Object> entries) throws IOException {
        Map<String, Map<Integer, List<Object>>> out = new java.util.LinkedHashMap<>();
        for (Object e : entries) {
            Map<Integer, List<Object>> pair = decode((byte[]) e);
            out.put(text(pair.get(1).get(0)), decode((byte[]) pair.get(2).get(0)));
        }
        return out;
    }

    private static Object decodeAny(Map<Integer, List<Object>> any) {
        return any.get(2).get(0);
    }

    private static String text(Object bytes) {
        return new String((byte[]) bytes, StandardCharsets.UTF_8);
    }

    private static List<String> strings(List<Object> values) {
        return values.stream().map(OpenApiV2Test::text).toList();
    }
}
