package io.starling.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.starling.dht.kube.KubeJson;
import java.io.IOException;

/** JSON/YAML helpers shared by the API classes; objects travel as Jackson trees. */
public final class Json {
    public static final ObjectMapper MAPPER = KubeJson.MAPPER;
    private static final ObjectMapper YAML = new YAMLMapper(YAMLFactory.builder().build());
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Json() {}

    public static ObjectNode object() {
        return F.objectNode();
    }

    public static ArrayNode array() {
        return F.arrayNode();
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a JSON object; 400 BadRequest on anything else. */
    public static ObjectNode parseObject(byte[] body) {
        JsonNode n;
        try {
            n = MAPPER.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("the body of the request was in an unknown format: " + firstLine(e));
        }
        if (n == null || !n.isObject()) {
            throw ApiException.badRequest("the body of the request must be a JSON object");
        }
        return (ObjectNode) n;
    }

    public static JsonNode parseAny(byte[] body) {
        try {
            JsonNode n = MAPPER.readTree(body);
            if (n == null) {
                throw ApiException.badRequest("empty body");
            }
            return n;
        } catch (IOException e) {
            throw ApiException.badRequest("invalid JSON: " + firstLine(e));
        }
    }

    /** Parses a YAML (or JSON, its subset) document into an object; 400 on malformed input. */
    public static ObjectNode parseYamlObject(byte[] body) {
        JsonNode n;
        try {
            n = YAML.readTree(body);
        } catch (IOException | RuntimeException e) {
            throw ApiException.badRequest("error decoding YAML: " + firstLine(e));
        }
        if (n == null || !n.isObject()) {
            throw ApiException.badRequest("the YAML body must be a mapping");
        }
        return (ObjectNode) n;
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** The object at {@code path} (created as needed). */
    public static ObjectNode with(ObjectNode node, String field) {
        JsonNode n = node.get(field);
        if (n instanceof ObjectNode o) {
            return o;
        }
        return node.putObject(field);
    }

    public static String text(JsonNode node, String... path) {
        JsonNode n = node;
        for (String p : path) {
            if (n == null) {
                return null;
            }
            n = n.get(p);
        }
        return n == null || n.isNull() || n.isContainerNode() ? null : n.asText();
    }
}
