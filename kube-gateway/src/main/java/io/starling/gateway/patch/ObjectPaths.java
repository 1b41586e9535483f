package io.starling.gateway.patch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.dht.kube.KubeJson;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Field paths of Kubernetes objects, in the structure server-side apply tracks (after the
 * structured-merge-diff rules): scalars, atomic lists, atomic structs and maps (label selectors,
 * service selectors, object references) and empty maps are leaves; a keyed list item
 * is a member itself ({@code k:{...}}) and so are its fields; an item of a merged primitive list is
 * a {@code v:} member; structs and maps are not members, only what they hold.
 *
 * <p>Fields the API server owns are never tracked: apiVersion, kind, status and the identity /
 * bookkeeping fields of metadata (see {@link #IGNORED_METADATA}).
 */
final class ObjectPaths {
    /** metadata fields set by the server, never owned by a manager. */
    static final Set<String> IGNORED_METADATA = Set.of("name", "namespace", "uid", "resourceVersion", "generation",
            "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "selfLink");
    private static final Set<String> IGNORED_TOP_LEVEL = Set.of("apiVersion", "kind", "status");
    private static final String DEFAULT_PROTOCOL = "TCP";

    private ObjectPaths() {}

    /** The set of field paths present in {@code object}. */
    static FieldSet fieldSet(JsonNode object, PatchSchema schema) {
        FieldSet set = new FieldSet();
        if (object != null && object.isObject()) {
            collectObject(object, schema, new ArrayList<>(), set, true);
        }
        return set;
    }

    /** The paths added, removed or changed between {@code before} and {@code after}. */
    static FieldSet changes(JsonNode before, JsonNode after, PatchSchema schema) {
        FieldSet set = new FieldSet();
        diffObject(objectOrEmpty(before), objectOrEmpty(after), schema, new ArrayList<>(), set, true);
        return set;
    }

    private static void collectObject(JsonNode object, PatchSchema schema, List<String> path, FieldSet out, boolean root) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (ignored(path, e.getKey(), root)) {
                continue;
            }
            path.add("f:" + e.getKey());
            if (schema.atomic(e.getKey())) {
                out.insert(path);
            } else {
                collectValue(e.getValue(), schema.field(e.getKey()), schema.listStrategy(e.getKey()), path, out);
            }
            path.remove(path.size() - 1);
        }
    }

    private static void collectValue(JsonNode value, PatchSchema schema, ListStrategy strategy, List<String> path, FieldSet out) {
        if (value.isObject() && !value.isEmpty()) {
            collectObject(value, schema, path, out, false);
        } else if (value.isArray() && !value.isEmpty() && strategy.merge() && keyable(value, strategy)) {
            for (JsonNode item : value) {
                path.add(itemElement(item, strategy));
                out.insert(path);
                if (strategy.keyed()) {
                    collectObject(item, schema.element(), path, out, false);
                }
                path.remove(path.size() - 1);
            }
        } else {
            out.insert(path);
        }
    }

    private static void diffObject(JsonNode before, JsonNode after, PatchSchema schema, List<String> path, FieldSet out,
                                   boolean root) {
        Set<String> keys = new LinkedHashSet<>();
        before.fieldNames().forEachRemaining(keys::add);
        after.fieldNames().forEachRemaining(keys::add);
        for (String key : keys) {
            if (ignored(path, key, root)) {
                continue;
            }
            path.add("f:" + key);
            if (schema.atomic(key)) {
                JsonNode b = before.get(key);
                JsonNode a = after.get(key);
                if (b == null || a == null || !sameValue(b, a)) {
                    out.insert(path);
                }
            } else {
                diffValue(before.get(key), after.get(key), schema.field(key), schema.listStrategy(key), path, out);
            }
            path.remove(path.size() - 1);
        }
    }

    private static void diffValue(JsonNode before, JsonNode after, PatchSchema schema, ListStrategy strategy,
                                  List<String> path, FieldSet out) {
        if (before == null || after == null) {
            JsonNode present = before == null ? after : before;
            collectValue(present, schema, strategy, path, out);
        } else if (before.isObject() && after.isObject() && !before.isEmpty() && !after.isEmpty()) {
            diffObject(before, after, schema, path, out, false);
        } else if (before.isArray() && after.isArray() && strategy.merge()
                && keyable(before, strategy) && keyable(after, strategy)) {
            diffList((ArrayNode) before, (ArrayNode) after, schema, strategy, path, out);
        } else if (!sameValue(before, after)) {
            collectValue(before, schema, strategy, path, out);
            collectValue(after, schema, strategy, path, out);
        }
    }

    private static void diffList(ArrayNode before, ArrayNode after, PatchSchema schema, ListStrategy strategy,
                                 List<String> path, FieldSet out) {
        Set<String> elements = new LinkedHashSet<>();
        before.forEach(i -> elements.add(itemElement(i, strategy)));
        after.forEach(i -> elements.add(itemElement(i, strategy)));
        for (String element : elements) {
            JsonNode b = findItem(before, element);
            JsonNode a = findItem(after, element);
            path.add(element);
            if (b == null || a == null) {
                out.insert(path);
                if (strategy.keyed()) {
                    collectObject(b == null ? a : b, schema.element(), path, out, false);
                }
            } else if (strategy.keyed()) {
                diffObject(b, a, schema.element(), path, out, false);
            }
            path.remove(path.size() - 1);
        }
    }

    private static boolean ignored(List<String> path, String key, boolean root) {
        if (root) {
            return IGNORED_TOP_LEVEL.contains(key);
        }
        return path.size() == 1 && path.get(0).equals("f:metadata") && IGNORED_METADATA.contains(key);
    }

    /** True when every item of the list can be named by the strategy's keys. */
    static boolean keyable(JsonNode list, ListStrategy strategy) {
        if (!strategy.keyed()) {
            for (JsonNode item : list) {
                if (item.isContainerNode()) {
                    return false;
                }
            }
            return true;
        }
        for (JsonNode item : list) {
            if (!item.isObject() || item.get(strategy.mergeKey()) == null || item.get(strategy.mergeKey()).isNull()) {
                return false;
            }
        }
        return true;
    }

    /** The path element naming {@code item} in its list: {@code k:{"name":"a"}} or {@code v:"x"}. */
    static String itemElement(JsonNode item, ListStrategy strategy) {
        if (!strategy.keyed()) {
            return "v:" + write(item);
        }
        ObjectNode keys = JsonNodeFactory.instance.objectNode();
        strategy.mapKeys().stream().sorted().forEach(k -> {
            JsonNode v = item.get(k);
            if (v != null && !v.isNull()) {
                keys.set(k, v);
            } else if (k.equals("protocol")) {
                keys.put(k, DEFAULT_PROTOCOL);
            }
        });
        return "k:" + write(keys);
    }

    /** The value at {@code path}, or a MissingNode. */
    static JsonNode get(JsonNode object, List<String> path) {
        JsonNode node = object;
        for (String element : path) {
            node = child(node, element);
            if (node == null) {
                return MissingNode.getInstance();
            }
        }
        return node;
    }

    /** Removes the value at {@code path} from {@code object} (edited in place); absent paths are ignored. */
    static void remove(JsonNode object, List<String> path) {
        if (path.isEmpty()) {
            return;
        }
        JsonNode parent = get(object, path.subList(0, path.size() - 1));
        String last = path.get(path.size() - 1);
        if (last.startsWith("f:") && parent.isObject()) {
            ((ObjectNode) parent).remove(last.substring(2));
        } else if (parent.isArray()) {
            ArrayNode list = (ArrayNode) parent;
            for (int i = list.size() - 1; i >= 0; i--) {
                if (matches(list.get(i), last)) {
                    list.remove(i);
                }
            }
        }
    }

    private static JsonNode child(JsonNode node, String element) {
        if (element.startsWith("f:")) {
            return node.isObject() ? node.get(element.substring(2)) : null;
        }
        return node.isArray() ? findItem(node, element) : null;
    }

    private static JsonNode findItem(JsonNode list, String element) {
        for (JsonNode item : list) {
            if (matches(item, element)) {
                return item;
            }
        }
        return null;
    }

    private static boolean matches(JsonNode item, String element) {
        JsonNode wanted = parseElementJson(element.substring(2));
        if (element.startsWith("v:")) {
            return sameValue(item, wanted);
        }
        if (!element.startsWith("k:") || !item.isObject()) {
            return false;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = wanted.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode have = item.get(e.getKey());
            boolean defaulted = (have == null || have.isNull()) && e.getKey().equals("protocol")
                    && DEFAULT_PROTOCOL.equals(e.getValue().asText());
            if (!defaulted && (have == null || !sameValue(have, e.getValue()))) {
                return false;
            }
        }
        return true;
    }

    /** JSON equality where numbers compare by value (1 == 1.0, int == long). */
    static boolean sameValue(JsonNode a, JsonNode b) {
        return a.equals((x, y) -> {
            if (x.isNumber() && y.isNumber()) {
                return x.decimalValue().compareTo(y.decimalValue());
            }
            return x.equals(y) ? 0 : 1;
        }, b);
    }

    static JsonNode parseElementJson(String json) {
        try {
            return KubeJson.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new PatchException(400, "BadRequest", "malformed field path element " + json);
        }
    }

    private static String write(JsonNode node) {
        try {
            return KubeJson.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode objectOrEmpty(JsonNode n) {
        return n != null && n.isObject() ? n : JsonNodeFactory.instance.objectNode();
    }
}
