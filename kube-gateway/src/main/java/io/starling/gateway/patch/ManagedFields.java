package io.starling.gateway.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Field ownership bookkeeping in metadata.managedFields (FieldsV1), shared by server-side apply and
 * by ordinary writes. {@link #recordUpdate} is what the API server calls for every non-apply write
 * (POST, PUT, PATCH) so that "Update" managers own what they changed, as kube-apiserver does.
 */
public final class ManagedFields {
    private ManagedFields() {}

    /**
     * Returns {@code after} with its managedFields updated for a write by {@code manager}: the manager's
     * Update entry gains every field the write added or changed, other managers lose those fields,
     * and fields the write removed are owned by nobody. When the client itself rewrote managedFields
     * (e.g. kubectl migrating client-side-apply ownership), its version is kept as sent.
     *
     * @param before the stored object, null on create
     * @param now    RFC 3339 time of the write
     */
    public static JsonNode recordUpdate(JsonNode before, JsonNode after, String manager, String apiVersion, String now) {
        if (after == null || !after.isObject()) {
            return after;
        }
        JsonDepth.require(after, "the object");
        JsonDepth.require(before, "the stored object");
        ObjectNode result = ((ObjectNode) after).deepCopy();
        JsonNode sent = after.path("metadata").get("managedFields");
        JsonNode stored = before == null ? null : before.path("metadata").get("managedFields");
        if (sent != null && !sent.isNull() && (before == null || !sent.equals(stored))) {
            return result;
        }
        List<ManagedFieldsEntry> entries = read(before);
        PatchSchema schema = PatchSchema.forKind(after.path("apiVersion").asText(), after.path("kind").asText());
        FieldSet changed = ObjectPaths.changes(before, after, schema);
        List<List<String>> present = new ArrayList<>();
        for (List<String> path : changed.members()) {
            if (!ObjectPaths.get(after, path).isMissingNode()) {
                present.add(path);
            }
        }
        int mine = indexOf(entries, manager, ManagedFieldsEntry.UPDATE);
        for (int i = 0; i < entries.size(); i++) {
            if (i != mine) {
                changed.members().forEach(entries.get(i).fields()::remove);
            }
        }
        if (!present.isEmpty()) {
            FieldSet owned = mine >= 0 ? entries.get(mine).fields() : new FieldSet();
            present.forEach(owned::insert);
            ManagedFieldsEntry updated = new ManagedFieldsEntry(manager, ManagedFieldsEntry.UPDATE,
                    apiVersion, now, "", owned);
            if (mine >= 0) {
                entries.set(mine, updated);
            } else {
                entries.add(updated);
            }
        }
        write(result, prune(entries, result));
        return result;
    }

    /** The entries of {@code object}'s metadata.managedFields; malformed entries are skipped. */
    static List<ManagedFieldsEntry> read(JsonNode object) {
        List<ManagedFieldsEntry> entries = new ArrayList<>();
        JsonNode list = object == null ? null : object.path("metadata").get("managedFields");
        if (list != null && list.isArray()) {
            for (JsonNode n : list) {
                if (n.isObject() && n.hasNonNull("manager")) {
                    entries.add(ManagedFieldsEntry.fromJson(n));
                }
            }
        }
        return entries;
    }

    /** Sets metadata.managedFields of {@code object} (removed when there are no entries). */
    static void write(ObjectNode object, List<ManagedFieldsEntry> entries) {
        JsonNode meta = object.get("metadata");
        if (meta == null || !meta.isObject()) {
            if (entries.isEmpty()) {
                return;
            }
            meta = object.putObject("metadata");
        }
        if (entries.isEmpty()) {
            ((ObjectNode) meta).remove("managedFields");
            return;
        }
        ArrayNode list = ((ObjectNode) meta).putArray("managedFields");
        entries.forEach(e -> list.add(e.toJson()));
    }

    /** Drops owned paths that no longer exist in {@code object}, then entries that own nothing. */
    static List<ManagedFieldsEntry> prune(List<ManagedFieldsEntry> entries, JsonNode object) {
        List<ManagedFieldsEntry> kept = new ArrayList<>();
        for (ManagedFieldsEntry e : entries) {
            for (List<String> path : e.fields().members()) {
                if (ObjectPaths.get(object, path).isMissingNode()) {
                    e.fields().remove(path);
                }
            }
            if (!e.fields().isEmpty()) {
                e.fields().checkInvariants();
                kept.add(e);
            }
        }
        return kept;
    }

    static int indexOf(List<ManagedFieldsEntry> entries, String manager, String operation) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).sameOwner(manager, operation)) {
                return i;
            }
        }
        return -1;
    }
}
