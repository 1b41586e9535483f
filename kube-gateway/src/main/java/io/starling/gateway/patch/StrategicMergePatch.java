package io.starling.gateway.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes strategic merge patch (application/strategic-merge-patch+json) for the merge-keyed
 * fields of core/v1, apps/v1 and meta/v1.
 *
 * <p>Implementation notes (behaviour as documented in the Kubernetes strategic-merge-patch design
 * doc): maps merge recursively and a {@code null} value deletes a key; a list merges by its
 * patchMergeKey when its field has patchStrategy=merge ({@link MergeKeyTable}), a merged list of
 * primitives is a set, every other list is replaced. Directives: {@code $patch: replace|merge|delete}
 * on a map or as a list item, {@code $retainKeys}, {@code $setElementOrder/<list>} and
 * {@code $deleteFromPrimitiveList/<list>}. The original is never modified.
 *
 * <p>Item order of a merged list follows kube-apiserver (checked against kubectl patch --local):
 * the items the patch names are ranked by {@code $setElementOrder}, or else by their order in the
 * patch; the other items keep their original order, and each is placed before a named item only
 * when it came before that item in the original list. So a new container goes first, unless
 * {@code $setElementOrder} places it. {@code $patch: delete} on a map leaves it empty, as the API does.
 */
public final class StrategicMergePatch {
    static final String PATCH = "$patch";
    static final String RETAIN_KEYS = "$retainKeys";
    static final String SET_ELEMENT_ORDER = "$setElementOrder/";
    static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";

    private StrategicMergePatch() {}

    /**
     * True when the merge keys of this kind are known; kube-apiserver answers 415 to a strategic
     * merge patch for other kinds (custom resources), which take JSON or JSON merge patches.
     */
    public static boolean supports(String apiVersion, String kind) {
        return PatchSchema.forKind(apiVersion, kind) != PatchSchema.UNKNOWN;
    }

    /**
     * Applies {@code patch} to {@code original} (not modified) and returns the result.
     *
     * @param apiVersion e.g. "apps/v1"; with {@code kind} selects the merge keys and strategies
     * @throws PatchException 400/422 when the patch is malformed or cannot apply
     */
    public static JsonNode apply(JsonNode original, JsonNode patch, String apiVersion, String kind) {
        return apply(original, patch, PatchSchema.forKind(apiVersion, kind));
    }

    /** Applies {@code patch} with an explicit schema ({@link PatchSchema#UNKNOWN} patches generically). */
    public static JsonNode apply(JsonNode original, JsonNode patch, PatchSchema schema) {
        if (patch == null || !patch.isObject()) {
            throw badRequest("a strategic merge patch must be a JSON object");
        }
        JsonDepth.require(patch, "the patch");
        JsonDepth.require(original, "the object");
        if ("delete".equals(patch.path(PATCH).asText())) {
            throw invalid("$patch: delete cannot remove the whole object; use DELETE");
        }
        ObjectNode base = original != null && original.isObject()
                ? (ObjectNode) original.deepCopy()
                : JsonNodeFactory.instance.objectNode();
        return mergeMap(base, (ObjectNode) patch, schema, "");
    }

    /** Merges {@code patch} into {@code original} (a private copy, edited in place). */
    static ObjectNode mergeMap(ObjectNode original, ObjectNode patch, PatchSchema schema, String path) {
        JsonNode directive = patch.get(PATCH);
        if (directive != null) {
            String d = directive.isTextual() ? directive.asText() : String.valueOf(directive);
            switch (d) {
                case "replace":
                    return stripDirectives(patch);
                case "delete":
                    // kube-apiserver leaves an empty map (the design doc calls it deletion)
                    return JsonNodeFactory.instance.objectNode();
                case "merge":
                    break;
                default:
                    throw badRequest("unknown patch directive " + PATCH + ": " + d + at(path));
            }
        }
        JsonNode retain = patch.get(RETAIN_KEYS);
        if (retain != null) {
            applyRetainKeys(original, patch, retain, path);
        }
        Set<String> fields = new LinkedHashSet<>();
        for (Iterator<String> it = patch.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (key.startsWith(SET_ELEMENT_ORDER)) {
                fields.add(key.substring(SET_ELEMENT_ORDER.length()));
            } else if (!key.equals(PATCH) && !key.equals(RETAIN_KEYS) && !key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
                fields.add(key);
            }
        }
        for (String key : fields) {
            mergeField(original, patch, key, schema, path + "." + key);
        }
        // deletions from a primitive list apply to the merged list, so they win over the same patch's additions
        for (Iterator<String> it = patch.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
                deleteFromPrimitiveList(original, key.substring(DELETE_FROM_PRIMITIVE_LIST.length()), patch.get(key), path);
            }
        }
        return original;
    }

    private static void mergeField(ObjectNode original, ObjectNode patch, String key, PatchSchema schema, String path) {
        JsonNode order = patch.get(SET_ELEMENT_ORDER + key);
        if (order != null && !order.isArray()) {
            throw badRequest(SET_ELEMENT_ORDER + key + " must be a list" + at(path));
        }
        JsonNode value = patch.get(key);
        JsonNode current = original.get(key);
        ListStrategy strategy = schema.listStrategy(key);
        if (value == null) {
            // only an order directive names this field
            if (order != null && current != null && current.isArray() && strategy.merge()) {
                original.set(key, reorder((ArrayNode) current, (ArrayNode) current, (ArrayNode) order, strategy, path));
            }
            return;
        }
        if (value.isNull()) {
            original.remove(key);
        } else if (value.isObject()) {
            ObjectNode base = current != null && current.isObject()
                    ? (ObjectNode) current
                    : JsonNodeFactory.instance.objectNode();
            original.set(key, mergeMap(base, (ObjectNode) value, schema.field(key), path));
        } else if (value.isArray() && strategy.merge()) {
            ArrayNode base = current != null && current.isArray()
                    ? (ArrayNode) current
                    : JsonNodeFactory.instance.arrayNode();
            if (order != null) {
                requireConsistentOrder((ArrayNode) value, (ArrayNode) order, strategy, path);
            }
            ArrayNode merged = mergeList(base, (ArrayNode) value, strategy, schema.field(key).element(), path);
            if (!isReplace((ArrayNode) value)) {
                ArrayNode patchOrder = order != null ? (ArrayNode) order : itemsToOrder((ArrayNode) value, strategy);
                merged = reorder(base, merged, patchOrder, strategy, path);
            }
            original.set(key, merged);
        } else if (value.isArray()) {
            original.set(key, stripDirectives((ArrayNode) value));
        } else {
            original.set(key, value.deepCopy());
        }
    }

    private static boolean isReplace(ArrayNode patch) {
        for (JsonNode item : patch) {
            if (item.isObject() && "replace".equals(item.path(PATCH).asText())) {
                return true;
            }
        }
        return false;
    }

    /** Without $setElementOrder the patch list's own order ranks its items (deletions aside). */
    private static ArrayNode itemsToOrder(ArrayNode patch, ListStrategy strategy) {
        ArrayNode order = JsonNodeFactory.instance.arrayNode();
        for (JsonNode item : patch) {
            if (!strategy.keyed() || (item.isObject() && item.hasNonNull(strategy.mergeKey()) && !item.has(PATCH))) {
                order.add(item);
            }
        }
        return order;
    }

    private static ArrayNode mergeList(ArrayNode original, ArrayNode patch, ListStrategy strategy,
                                       PatchSchema element, String path) {
        return strategy.keyed()
                ? mergeKeyedList(original, patch, strategy.mergeKey(), element, path)
                : mergeSet(original, patch, path);
    }

    private static ArrayNode mergeSet(ArrayNode original, ArrayNode patch, String path) {
        ArrayNode merged = JsonNodeFactory.instance.arrayNode();
        for (JsonNode item : original) {
            addIfAbsent(merged, item);
        }
        for (JsonNode item : patch) {
            if (item.isContainerNode()) {
                throw badRequest("a merged list of primitives cannot hold " + item + at(path));
            }
            addIfAbsent(merged, item);
        }
        return merged;
    }

    private static void addIfAbsent(ArrayNode list, JsonNode item) {
        for (JsonNode existing : list) {
            if (existing.equals(item)) {
                return;
            }
        }
        list.add(item.deepCopy());
    }

    /**
     * Items carrying a {@code $patch} directive act first: "delete" removes the original items with
     * that key, "replace" makes the plain items the whole list. Then each plain item merges into the
     * original item with the same key, or is added.
     */
    private static ArrayNode mergeKeyedList(ArrayNode original, ArrayNode patch, String mergeKey,
                                            PatchSchema element, String path) {
        List<JsonNode> merged = new ArrayList<>();
        original.forEach(merged::add);
        List<ObjectNode> plain = new ArrayList<>();
        boolean replace = false;
        for (JsonNode item : patch) {
            if (!item.isObject()) {
                throw badRequest("list items merged by " + mergeKey + " must be objects, got " + item + at(path));
            }
            JsonNode directive = item.get(PATCH);
            if (directive == null) {
                plain.add((ObjectNode) item);
                continue;
            }
            switch (directive.asText()) {
                case "delete" -> {
                    JsonNode key = requireKey(item, mergeKey, path);
                    merged.removeIf(existing -> key.equals(existing.get(mergeKey)));
                }
                case "replace" -> replace = true;
                case "merge" -> throw badRequest("merging lists cannot yet be specified in the patch" + at(path));
                default -> throw badRequest("unknown patch directive " + PATCH + ": " + directive + at(path));
            }
        }
        ArrayNode result = JsonNodeFactory.instance.arrayNode();
        if (replace) {
            plain.forEach(item -> result.add(stripDirectives(item)));
            return result;
        }
        for (ObjectNode item : plain) {
            JsonNode key = requireKey(item, mergeKey, path);
            int index = indexOf(merged, mergeKey, key);
            if (index < 0) {
                merged.add(mergeMap(JsonNodeFactory.instance.objectNode(), item, element, path));
            } else {
                JsonNode existing = merged.get(index);
                ObjectNode base = existing.isObject()
                        ? (ObjectNode) existing.deepCopy()
                        : JsonNodeFactory.instance.objectNode();
                merged.set(index, mergeMap(base, item, element, path));
            }
        }
        merged.forEach(n -> result.add(n.deepCopy()));
        return result;
    }

    private static JsonNode requireKey(JsonNode item, String mergeKey, String path) {
        JsonNode key = item.get(mergeKey);
        if (key == null || key.isNull()) {
            throw invalid("map " + item + " does not contain declared merge key: " + mergeKey + at(path));
        }
        return key;
    }

    /** The patch's own items must appear in $setElementOrder, in the same relative order. */
    private static void requireConsistentOrder(ArrayNode patch, ArrayNode order, ListStrategy strategy, String path) {
        int next = 0;
        for (JsonNode item : patch) {
            if (item.isObject() && item.has(PATCH)) {
                continue;
            }
            JsonNode id = id(item, strategy.mergeKey());
            while (next < order.size() && !id.equals(id(order.get(next), strategy.mergeKey()))) {
                next++;
            }
            if (next == order.size()) {
                throw badRequest("the order of the patch list does not match " + SET_ELEMENT_ORDER + at(path));
            }
            next++;
        }
    }

    private static int indexOf(List<JsonNode> items, String mergeKey, JsonNode key) {
        for (int i = 0; i < items.size(); i++) {
            if (key.equals(items.get(i).get(mergeKey))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Orders {@code merged} by {@code order}: the items {@code order} names come in its order; the
     * others keep their place relative to them as it was in {@code server} (the original list).
     */
    static ArrayNode reorder(ArrayNode server, ArrayNode merged, ArrayNode order, ListStrategy strategy, String path) {
        String mergeKey = strategy.mergeKey();
        List<JsonNode> orderIds = new ArrayList<>();
        for (JsonNode o : order) {
            if (mergeKey != null && (!o.isObject() || o.get(mergeKey) == null)) {
                throw badRequest(SET_ELEMENT_ORDER + " items must name the merge key " + mergeKey + at(path));
            }
            orderIds.add(mergeKey == null ? o : o.get(mergeKey));
        }
        List<JsonNode> serverIds = new ArrayList<>();
        server.forEach(n -> serverIds.add(id(n, mergeKey)));
        List<JsonNode> named = new ArrayList<>();
        List<JsonNode> others = new ArrayList<>();
        for (JsonNode item : merged) {
            (orderIds.contains(id(item, mergeKey)) ? named : others).add(item);
        }
        named.sort((a, b) -> Integer.compare(orderIds.indexOf(id(a, mergeKey)), orderIds.indexOf(id(b, mergeKey))));
        ArrayNode result = JsonNodeFactory.instance.arrayNode();
        int i = 0;
        int j = 0;
        while (i < others.size() || j < named.size()) {
            if (j >= named.size()) {
                result.add(others.get(i++));
            } else if (i >= others.size()) {
                result.add(named.get(j++));
            } else {
                int left = serverIds.indexOf(id(others.get(i), mergeKey));
                int right = serverIds.indexOf(id(named.get(j), mergeKey));
                if (left >= 0 && right >= 0 && left < right) {
                    result.add(others.get(i++));
                } else {
                    result.add(named.get(j++));
                }
            }
        }
        return result;
    }

    private static JsonNode id(JsonNode item, String mergeKey) {
        if (mergeKey == null) {
            return item;
        }
        JsonNode key = item.get(mergeKey);
        return key == null ? item : key;
    }

    private static void applyRetainKeys(ObjectNode original, ObjectNode patch, JsonNode retain, String path) {
        if (!retain.isArray()) {
            throw badRequest(RETAIN_KEYS + " must be a list of field names" + at(path));
        }
        Set<String> keep = new LinkedHashSet<>();
        for (JsonNode k : retain) {
            if (!k.isTextual()) {
                throw badRequest(RETAIN_KEYS + " must be a list of field names" + at(path));
            }
            keep.add(k.asText());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            if (!key.startsWith("$") && !e.getValue().isNull() && !keep.contains(key)) {
                throw badRequest("field " + key + " is set by the patch but not listed in " + RETAIN_KEYS + at(path));
            }
        }
        original.retain(keep);
    }

    private static void deleteFromPrimitiveList(ObjectNode original, String key, JsonNode values, String path) {
        if (values == null || !values.isArray()) {
            throw badRequest(DELETE_FROM_PRIMITIVE_LIST + key + " must be a list" + at(path));
        }
        JsonNode current = original.get(key);
        if (current == null || !current.isArray()) {
            return;
        }
        ArrayNode kept = JsonNodeFactory.instance.arrayNode();
        for (JsonNode item : current) {
            boolean delete = false;
            for (JsonNode v : values) {
                delete |= v.equals(item);
            }
            if (!delete) {
                kept.add(item);
            }
        }
        original.set(key, kept);
    }

    /** A copy of {@code node} without any patch directive, at any depth. */
    static <T extends JsonNode> T stripDirectives(T node) {
        @SuppressWarnings("unchecked")
        T copy = (T) node.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            List<String> directives = new ArrayList<>();
            o.fieldNames().forEachRemaining(k -> {
                if (isDirective(k)) {
                    directives.add(k);
                }
            });
            o.remove(directives);
            o.forEach(StrategicMergePatch::strip);
        } else if (node.isArray()) {
            ArrayNode a = (ArrayNode) node;
            for (int i = a.size() - 1; i >= 0; i--) {
                JsonNode item = a.get(i);
                if (item.isObject() && item.size() == 1 && item.has(PATCH)) {
                    a.remove(i);
                } else {
                    strip(item);
                }
            }
        }
    }

    static boolean isDirective(String key) {
        return key.equals(PATCH) || key.equals(RETAIN_KEYS) || key.startsWith(SET_ELEMENT_ORDER)
                || key.startsWith(DELETE_FROM_PRIMITIVE_LIST);
    }

    private static String at(String path) {
        return path.isEmpty() ? "" : " (at " + path + ")";
    }

    private static PatchException badRequest(String message) {
        return new PatchException(400, "BadRequest", message);
    }

    private static PatchException invalid(String message) {
        return new PatchException(422, "Invalid", message);
    }
}
