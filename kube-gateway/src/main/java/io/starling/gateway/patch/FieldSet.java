package io.starling.gateway.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A set of field paths, stored as a trie whose edges are FieldsV1 path elements: {@code f:<name>}
 * (a field), {@code k:<json object>} (a list item by its keys), {@code v:<json>} (an item of a set).
 * In the FieldsV1 JSON a member leaf is {@code {}} and a member with children also holds {@code "."}.
 * Children are kept sorted, so the serialised form and every iteration are deterministic.
 */
final class FieldSet {
    private final TreeMap<String, FieldSet> children = new TreeMap<>();
    private boolean member;

    static FieldSet fromFieldsV1(JsonNode fields) {
        FieldSet set = new FieldSet();
        if (fields != null && fields.isObject()) {
            set.read(fields);
        }
        return set;
    }

    private void read(JsonNode node) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals(".")) {
                member = true;
                continue;
            }
            FieldSet child = children.computeIfAbsent(e.getKey(), k -> new FieldSet());
            if (!e.getValue().isObject() || e.getValue().isEmpty()) {
                child.member = true;
            } else {
                child.read(e.getValue());
            }
        }
    }

    ObjectNode toFieldsV1() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (member && !children.isEmpty()) {
            out.putObject(".");
        }
        children.forEach((k, child) -> out.set(k, child.toFieldsV1()));
        return out;
    }

    void insert(List<String> path) {
        FieldSet node = this;
        for (String element : path) {
            node = node.children.computeIfAbsent(element, k -> new FieldSet());
        }
        node.member = true;
    }

    void insertAll(FieldSet other) {
        other.members().forEach(this::insert);
    }

    boolean contains(List<String> path) {
        FieldSet node = find(path);
        return node != null && node.member;
    }

    /** True when {@code path} or any path below it is a member. */
    boolean containsAtOrBelow(List<String> path) {
        FieldSet node = find(path);
        return node != null && !node.isEmpty();
    }

    /** Removes {@code path} and everything below it. */
    void removeSubtree(List<String> path) {
        if (path.isEmpty()) {
            children.clear();
            member = false;
            return;
        }
        FieldSet parent = find(path.subList(0, path.size() - 1));
        if (parent != null) {
            parent.children.remove(path.get(path.size() - 1));
            prune();
        }
    }

    /** Removes the single member {@code path} (members below it stay). */
    void remove(List<String> path) {
        FieldSet node = find(path);
        if (node != null) {
            node.member = false;
            prune();
        }
    }

    /** Every node below the root is a member or leads to one (no dead branches after edits). */
    void checkInvariants() {
        children.forEach((element, child) -> {
            if (element.length() < 3 || (element.charAt(1) != ':') || "fkvi".indexOf(element.charAt(0)) < 0) {
                throw new IllegalStateException("bad path element " + element);
            }
            if (child.isEmpty()) {
                throw new IllegalStateException("empty branch at " + element);
            }
            child.checkInvariants();
        });
    }

    boolean isEmpty() {
        return !member && children.isEmpty();
    }

    /** Every member path, in sorted trie order. */
    List<List<String>> members() {
        List<List<String>> out = new ArrayList<>();
        collect(new ArrayList<>(), out);
        return out;
    }

    private void collect(List<String> prefix, List<List<String>> out) {
        if (member) {
            out.add(List.copyOf(prefix));
        }
        for (Map.Entry<String, FieldSet> e : children.entrySet()) {
            prefix.add(e.getKey());
            e.getValue().collect(prefix, out);
            prefix.remove(prefix.size() - 1);
        }
    }

    private FieldSet find(List<String> path) {
        FieldSet node = this;
        for (String element : path) {
            node = node.children.get(element);
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    /** Drops nodes that hold no member. */
    private boolean prune() {
        children.values().removeIf(FieldSet::prune);
        return isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldSet other && members().equals(other.members());
    }

    @Override
    public int hashCode() {
        return members().hashCode();
    }

    @Override
    public String toString() {
        return toFieldsV1().toString();
    }

    /** The path as Kubernetes prints it in conflict messages: {@code .spec.containers[name="a"].image}. */
    static String describe(List<String> path) {
        StringBuilder sb = new StringBuilder();
        for (String element : path) {
            String body = element.substring(2);
            switch (element.charAt(0)) {
                case 'f' -> sb.append('.').append(body);
                case 'k' -> {
                    JsonNode keys = ObjectPaths.parseElementJson(body);
                    List<String> parts = new ArrayList<>();
                    keys.fields().forEachRemaining(e -> parts.add(e.getKey() + "=" + e.getValue()));
                    sb.append('[').append(String.join(",", parts)).append(']');
                }
                case 'v' -> sb.append("[=").append(body).append(']');
                default -> sb.append('[').append(body).append(']');
            }
        }
        return sb.toString();
    }
}
