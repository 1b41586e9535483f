package io.starling.gateway.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.fge.jsonpatch.JsonPatch;
import com.github.fge.jsonpatch.JsonPatchException;
import com.github.fge.jsonpatch.mergepatch.JsonMergePatch;
import java.io.IOException;

/**
 * JSON patch (RFC 6902, application/json-patch+json) and JSON merge patch (RFC 7386,
 * application/merge-patch+json) through the java-json-tools json-patch library, with the status
 * codes kube-apiserver answers: an undecodable patch is 400, one that does not apply (a missing path,
 * a failed "test") is 422, more than {@link #MAX_JSON_PATCH_OPERATIONS} operations is 413.
 */
public final class JsonPatches {
    /** kube-apiserver's limit on the operations of one JSON patch. */
    public static final int MAX_JSON_PATCH_OPERATIONS = 10_000;

    private JsonPatches() {}

    /** Applies an RFC 6902 patch (a JSON array of operations) to {@code target} (not modified). */
    public static JsonNode applyJsonPatch(JsonNode target, JsonNode patch) {
        if (patch == null || !patch.isArray()) {
            throw new PatchException(400, "BadRequest", "a JSON patch must be a JSON array of operations");
        }
        if (patch.size() > MAX_JSON_PATCH_OPERATIONS) {
            throw new PatchException(413, "RequestEntityTooLarge", "The allowed maximum operations in a JSON patch is "
                    + MAX_JSON_PATCH_OPERATIONS + ", got " + patch.size());
        }
        JsonDepth.require(patch, "the patch");
        JsonDepth.require(target, "the object");
        JsonPatch decoded;
        try {
            decoded = JsonPatch.fromJson(patch);
        } catch (IOException | RuntimeException e) {
            throw new PatchException(400, "BadRequest", "invalid JSON patch: " + message(e));
        }
        try {
            return decoded.apply(target);
        } catch (JsonPatchException | RuntimeException e) {
            throw new PatchException(422, "Invalid", "the JSON patch cannot be applied: " + message(e));
        }
    }

    /** Applies an RFC 7386 merge patch to {@code target} (not modified). */
    public static JsonNode applyMergePatch(JsonNode target, JsonNode patch) {
        if (patch == null) {
            throw new PatchException(400, "BadRequest", "empty merge patch");
        }
        JsonDepth.require(patch, "the patch");
        JsonDepth.require(target, "the object");
        try {
            return JsonMergePatch.fromJson(patch).apply(target);
        } catch (JsonPatchException | RuntimeException e) {
            throw new PatchException(400, "BadRequest", "invalid merge patch: " + message(e));
        }
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
