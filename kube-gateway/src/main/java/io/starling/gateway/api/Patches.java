package io.starling.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.gateway.patch.JsonPatches;
import io.starling.gateway.patch.PatchException;
import io.starling.gateway.patch.StrategicMergePatch;

/** Applies the three body-only patch types (server-side apply is handled by the writer: it may create). */
public final class Patches {
    public static final String JSON_PATCH = "application/json-patch+json";
    public static final String MERGE_PATCH = "application/merge-patch+json";
    public static final String STRATEGIC = "application/strategic-merge-patch+json";
    public static final String APPLY = "application/apply-patch+yaml";

    private Patches() {}

    public static ObjectNode apply(String contentType, ObjectNode current, byte[] body, String apiVersion, String kind) {
        JsonNode result = switch (contentType) {
            case JSON_PATCH -> jsonPatch(current, Json.parseAny(body));
            case MERGE_PATCH -> mergePatch(current, Json.parseObject(body));
            case STRATEGIC -> strategic(current, Json.parseObject(body), apiVersion, kind);
            default -> throw new ApiException(415, "UnsupportedMediaType", "the server does not support patch type "
                    + contentType + "; use one of " + JSON_PATCH + ", " + MERGE_PATCH + ", " + STRATEGIC + ", " + APPLY);
        };
        if (!(result instanceof ObjectNode o)) {
            throw ApiException.badRequest("the patch did not produce an object");
        }
        return o;
    }

    private static JsonNode jsonPatch(ObjectNode current, JsonNode patch) {
        try {
            return JsonPatches.applyJsonPatch(current, patch);
        } catch (PatchException e) {
            throw Bodies.fromPatch(e);
        }
    }

    /** RFC 7386 JSON merge patch: objects merge recursively, null deletes, anything else replaces. */
    public static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        try {
            return JsonPatches.applyMergePatch(target == null ? Json.object() : target, patch);
        } catch (PatchException e) {
            throw Bodies.fromPatch(e);
        }
    }

    private static JsonNode strategic(ObjectNode current, ObjectNode patch, String apiVersion, String kind) {
        try {
            return StrategicMergePatch.apply(current, patch, apiVersion, kind);
        } catch (PatchException e) {
            if (e.code() == 415) {
                // A kind without a merge-key table (no fabric8 model on the class path): apply the patch
                // as a JSON merge patch (maps merge, lists are replaced whole) rather than refuse it.
                return mergePatch(current, stripDirectives(patch));
            }
            throw Bodies.fromPatch(e);
        }
    }

    /** Drops the $-directives of strategic merge patch, which a merge patch would otherwise store. */
    private static JsonNode stripDirectives(JsonNode n) {
        if (n.isObject()) {
            ObjectNode o = Json.object();
            n.fields().forEachRemaining(e -> {
                if (!e.getKey().startsWith("$")) {
                    o.set(e.getKey(), stripDirectives(e.getValue()));
                }
            });
            return o;
        }
        if (n.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode a = Json.array();
            n.forEach(x -> {
                if (!(x.isObject() && x.has("$patch"))) {
                    a.add(stripDirectives(x));
                }
            });
            return a;
        }
        return n;
    }
}
