package io.starling.gateway.patch;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Kubernetes strategic merge patch (application/strategic-merge-patch+json) for the merge-keyed
 * fields of core/v1, apps/v1 and meta/v1. Implementation pending (gateway-patch work).
 */
public final class StrategicMergePatch {
    private StrategicMergePatch() {}

    /**
     * Applies {@code patch} to {@code original} (not modified) and returns the result.
     *
     * @param apiVersion e.g. "apps/v1"; with {@code kind} selects the merge keys and strategies
     * @throws PatchException 400/422 when the patch is malformed or cannot apply
     */
    public static JsonNode apply(JsonNode original, JsonNode patch, String apiVersion, String kind) {
        throw new PatchException(415, "UnsupportedMediaType", "strategic merge patch is not implemented yet");
    }
}
