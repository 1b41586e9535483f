package io.starling.gateway.patch;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Server-side apply (application/apply-patch+yaml) with field ownership in metadata.managedFields.
 * Implementation pending (gateway-patch work).
 */
public final class ServerSideApply {
    private ServerSideApply() {}

    /**
     * Merges the applied configuration of {@code fieldManager} into {@code live} ({@code null} when the
     * object does not exist yet: the result is the object to create).
     *
     * @param now RFC 3339 timestamp recorded in managedFields
     * @return the new object, with managedFields updated
     * @throws PatchException 409 Conflict when another manager owns a changed field and !force; 400/422 on bad input
     */
    public static JsonNode apply(JsonNode live, JsonNode applied, String fieldManager, boolean force, String now) {
        throw new PatchException(415, "UnsupportedMediaType", "server-side apply is not implemented yet");
    }
}
