package io.starling.gateway.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Server-side apply (application/apply-patch+yaml) with field ownership in metadata.managedFields.
 *
 * <p>Implementation notes, after the documented rules of server-side apply: the applied configuration
 * is merged into the live object (maps by key, keyed lists by their list-map keys, primitive merge
 * lists as sets, everything else replaced); the manager's Apply entry then owns exactly the fields
 * of its configuration. Fields it applied before and omits now are removed unless another manager
 * owns them. Changing a field another manager owns is a conflict (409) unless {@code force}, which
 * moves ownership to the applier; applying the value already there shares ownership instead.
 * An object without managedFields is treated as owned by "before-first-apply", as kube-apiserver does.
 */
public final class ServerSideApply {
    /** kube-apiserver's limit on a field manager name. */
    public static final int MAX_FIELD_MANAGER_CHARS = 128;
    static final String BEFORE_FIRST_APPLY = "before-first-apply";

    private ServerSideApply() {}

    /**
     * Merges the applied configuration of {@code fieldManager} into {@code live} ({@code null} when the
     * object does not exist yet: the result is the object to create).
     *
     * @param now RFC 3339 timestamp recorded in managedFields
     * @return the new object, with managedFields updated
     * @throws PatchException 409 Conflict ({@link ApplyConflictException}) when another manager owns a changed
     *                        field and !force; 400/422 on bad input
     */
    public static JsonNode apply(JsonNode live, JsonNode applied, String fieldManager, boolean force, String now) {
        validate(live, applied, fieldManager);
        JsonDepth.require(applied, "the applied configuration");
        JsonDepth.require(live, "the object");
        ObjectNode config = withoutNulls((ObjectNode) applied);
        config.remove("status");
        String apiVersion = config.get("apiVersion").asText();
        PatchSchema schema = PatchSchema.forKind(apiVersion, config.get("kind").asText());
        requireListKeys(config, schema, "");

        List<ManagedFieldsEntry> entries = ManagedFields.read(live);
        ObjectNode base = live == null ? JsonNodeFactory.instance.objectNode() : ((ObjectNode) live).deepCopy();
        stripManagedFields(base);
        if (live != null && entries.isEmpty()) {
            FieldSet legacy = ObjectPaths.fieldSet(base, schema);
            if (!legacy.isEmpty()) {
                entries.add(new ManagedFieldsEntry(BEFORE_FIRST_APPLY, ManagedFieldsEntry.UPDATE,
                        base.path("apiVersion").asText(apiVersion), null, "", legacy));
            }
        }
        int mine = ManagedFields.indexOf(entries, fieldManager, ManagedFieldsEntry.APPLY);
        FieldSet previous = mine >= 0 ? entries.get(mine).fields() : new FieldSet();
        FieldSet appliedSet = ObjectPaths.fieldSet(config, schema);

        ObjectNode merged = (ObjectNode) mergeApplied(base.deepCopy(), config, schema);
        if (live != null) {
            keepServerMetadata(base, merged);
        }
        removeDroppedFields(merged, previous, appliedSet, entries, mine);

        FieldSet changed = ObjectPaths.changes(base, merged, schema);
        resolveConflicts(entries, fieldManager, changed, force);

        ManagedFieldsEntry entry = new ManagedFieldsEntry(fieldManager, ManagedFieldsEntry.APPLY, apiVersion, now, "",
                appliedSet);
        if (mine >= 0) {
            entries.set(mine, entry);
        } else {
            entries.add(entry);
        }
        ManagedFields.write(merged, ManagedFields.prune(entries, merged));
        return merged;
    }

    private static void validate(JsonNode live, JsonNode applied, String fieldManager) {
        if (fieldManager == null || fieldManager.isEmpty()) {
            throw new PatchException(400, "BadRequest", "fieldManager is required for apply requests");
        }
        if (fieldManager.length() > MAX_FIELD_MANAGER_CHARS) {
            throw new PatchException(422, "Invalid", "fieldManager must be at most " + MAX_FIELD_MANAGER_CHARS
                    + " characters");
        }
        if (applied == null || !applied.isObject()) {
            throw new PatchException(400, "BadRequest", "the applied configuration must be an object");
        }
        if (applied.path("apiVersion").asText("").isEmpty()) {
            throw new PatchException(400, "BadRequest", "apiVersion must be set in the applied configuration");
        }
        if (applied.path("kind").asText("").isEmpty()) {
            throw new PatchException(400, "BadRequest", "kind must be set in the applied configuration");
        }
        JsonNode managed = applied.path("metadata").get("managedFields");
        if (managed != null && !managed.isNull() && !(managed.isArray() && managed.isEmpty())) {
            throw new PatchException(400, "BadRequest", "metadata.managedFields must be nil in an applied configuration");
        }
        if (live != null && live.isObject() && !live.path("kind").asText("").isEmpty()
                && !live.path("kind").asText().equals(applied.get("kind").asText())) {
            throw new PatchException(400, "BadRequest", "the applied kind " + applied.get("kind").asText()
                    + " does not match the object's kind " + live.path("kind").asText());
        }
    }

    /** Merges {@code config} into {@code live} (a private copy, edited in place where convenient). */
    static JsonNode mergeApplied(JsonNode live, JsonNode config, PatchSchema schema) {
        if (!config.isObject() || live == null || !live.isObject()) {
            return config.deepCopy();
        }
        ObjectNode out = (ObjectNode) live;
        for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode value = e.getValue();
            JsonNode current = out.get(key);
            ListStrategy strategy = schema.listStrategy(key);
            if (schema.atomic(key)) {
                out.set(key, value.deepCopy());
            } else if (value.isArray() && strategy.merge() && current != null && current.isArray()) {
                out.set(key, mergeList((ArrayNode) current, (ArrayNode) value, strategy, schema.field(key).element()));
            } else {
                out.set(key, mergeApplied(current, value, schema.field(key)));
            }
        }
        return out;
    }

    private static ArrayNode mergeList(ArrayNode live, ArrayNode config, ListStrategy strategy, PatchSchema element) {
        Map<String, JsonNode> items = new LinkedHashMap<>();
        int unnamed = 0;
        for (JsonNode item : live) {
            boolean named = ObjectPaths.keyable(JsonNodeFactory.instance.arrayNode().add(item), strategy);
            // a stored item without its key cannot be matched; keep it where it is
            items.put(named ? ObjectPaths.itemElement(item, strategy) : "#" + unnamed++, item);
        }
        for (JsonNode item : config) {
            String id = ObjectPaths.itemElement(item, strategy);
            JsonNode existing = items.get(id);
            items.put(id, strategy.keyed() && existing != null ? mergeApplied(existing, item, element) : item.deepCopy());
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        items.values().forEach(out::add);
        return out;
    }

    /** Removes what the manager applied before and dropped now, unless another manager still owns it. */
    private static void removeDroppedFields(ObjectNode merged, FieldSet previous, FieldSet appliedSet,
                                            List<ManagedFieldsEntry> entries, int mine) {
        for (List<String> path : previous.members()) {
            if (appliedSet.contains(path) || isItemKey(path)) {
                continue;
            }
            boolean ownedElsewhere = false;
            for (int i = 0; i < entries.size(); i++) {
                ownedElsewhere |= i != mine && entries.get(i).fields().containsAtOrBelow(path);
            }
            if (!ownedElsewhere) {
                ObjectPaths.remove(merged, path);
                removeEmptiedParents(merged, path, appliedSet, entries, mine);
            }
        }
    }

    /** A map or list that removal left empty goes too, unless someone owns it (e.g. applied "labels: {}"). */
    private static void removeEmptiedParents(ObjectNode merged, List<String> path, FieldSet appliedSet,
                                             List<ManagedFieldsEntry> entries, int mine) {
        for (int depth = path.size() - 1; depth > 0; depth--) {
            List<String> parent = path.subList(0, depth);
            JsonNode node = ObjectPaths.get(merged, parent);
            if (!node.isContainerNode() || !node.isEmpty() || parent.get(depth - 1).startsWith("k:")
                    || appliedSet.containsAtOrBelow(parent)) {
                return;
            }
            for (int i = 0; i < entries.size(); i++) {
                if (i != mine && entries.get(i).fields().containsAtOrBelow(parent)) {
                    return;
                }
            }
            ObjectPaths.remove(merged, parent);
        }
    }

    /** A key field of a keyed list item (f:name under k:{"name":...}) goes with its item, never alone. */
    private static boolean isItemKey(List<String> path) {
        if (path.size() < 2) {
            return false;
        }
        String last = path.get(path.size() - 1);
        String parent = path.get(path.size() - 2);
        return last.startsWith("f:") && parent.startsWith("k:")
                && ObjectPaths.parseElementJson(parent.substring(2)).has(last.substring(2));
    }

    private static void resolveConflicts(List<ManagedFieldsEntry> entries, String fieldManager, FieldSet changed,
                                         boolean force) {
        List<ApplyConflictException.Cause> causes = new ArrayList<>();
        Map<String, List<String>> byManager = new java.util.TreeMap<>();
        for (ManagedFieldsEntry other : entries) {
            if (other.manager().equals(fieldManager)) {
                continue;
            }
            for (List<String> path : changed.members()) {
                if (other.fields().contains(path)) {
                    if (force) {
                        other.fields().remove(path);
                    } else {
                        String field = FieldSet.describe(path);
                        causes.add(new ApplyConflictException.Cause(field, "conflict with " + other.describe()));
                        byManager.computeIfAbsent(other.describe(), k -> new ArrayList<>()).add(field);
                    }
                }
            }
        }
        if (causes.isEmpty()) {
            return;
        }
        String message;
        if (causes.size() == 1) {
            message = "Apply failed with 1 conflict: " + causes.get(0).message() + ": " + causes.get(0).field();
        } else {
            List<String> lines = new ArrayList<>();
            byManager.forEach((manager, fields) -> {
                lines.add("conflicts with " + manager + ":");
                fields.forEach(f -> lines.add("- " + f));
            });
            message = "Apply failed with " + causes.size() + " conflicts: " + String.join("\n", lines);
        }
        throw new ApplyConflictException(message, causes);
    }

    /** The server's metadata (name, uid, resourceVersion, ...) stays as it is on the live object. */
    private static void keepServerMetadata(ObjectNode live, ObjectNode merged) {
        JsonNode liveMeta = live.path("metadata");
        JsonNode mergedMeta = merged.get("metadata");
        if (mergedMeta == null || !mergedMeta.isObject()) {
            return;
        }
        for (String field : ObjectPaths.IGNORED_METADATA) {
            if (liveMeta.has(field)) {
                ((ObjectNode) mergedMeta).set(field, liveMeta.get(field).deepCopy());
            } else {
                ((ObjectNode) mergedMeta).remove(field);
            }
        }
    }

    private static void stripManagedFields(ObjectNode object) {
        JsonNode meta = object.get("metadata");
        if (meta != null && meta.isObject()) {
            ((ObjectNode) meta).remove("managedFields");
        }
    }

    /** Every keyed list in the configuration must name its items (422 otherwise, as the API does). */
    private static void requireListKeys(JsonNode node, PatchSchema schema, String path) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String here = path + "." + e.getKey();
            JsonNode value = e.getValue();
            ListStrategy strategy = schema.listStrategy(e.getKey());
            if (value.isArray() && strategy.keyed()) {
                for (JsonNode item : value) {
                    if (!item.isObject() || !item.hasNonNull(strategy.mergeKey())) {
                        throw new PatchException(422, "Invalid", here + ": associative list with keys has an element that"
                                + " omits key field \"" + strategy.mergeKey() + "\"");
                    }
                    requireListKeys(item, schema.field(e.getKey()).element(), here);
                }
            } else if (value.isObject()) {
                requireListKeys(value, schema.field(e.getKey()), here);
            }
        }
    }

    /** A copy without null values: in an applied configuration a null field is simply not set. */
    private static ObjectNode withoutNulls(ObjectNode node) {
        ObjectNode copy = node.deepCopy();
        dropNulls(copy);
        return copy;
    }

    private static void dropNulls(JsonNode node) {
        if (node.isObject()) {
            List<String> nulls = new ArrayList<>();
            node.fields().forEachRemaining(e -> {
                if (e.getValue().isNull()) {
                    nulls.add(e.getKey());
                } else {
                    dropNulls(e.getValue());
                }
            });
            ((ObjectNode) node).remove(nulls);
        } else if (node.isArray()) {
            node.forEach(ServerSideApply::dropNulls);
        }
    }
}
