package io.starling.gateway.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parsed label selector (the string form of ?labelSelector=): {@code =, ==, !=, in, notin,
 * key} (exists) and {@code !key}. All requirements must hold.
 */
public final class LabelSelector {
    /** One requirement. */
    public record Requirement(String key, Op op, Set<String> values) {
        public boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            return switch (op) {
                case EQUALS, IN -> v != null && values.contains(v);
                case NOT_EQUALS, NOT_IN -> v == null || !values.contains(v);
                case EXISTS -> v != null;
                case NOT_EXISTS -> v == null;
            };
        }
    }

    public enum Op { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, NOT_EXISTS }

    public static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        this.requirements = List.copyOf(requirements);
    }

    public List<Requirement> requirements() {
        return requirements;
    }

    public boolean matches(Map<String, String> labels) {
        for (Requirement r : requirements) {
            if (!r.matches(labels == null ? Map.of() : labels)) {
                return false;
            }
        }
        return true;
    }

    /** @throws IllegalArgumentException on a malformed selector */
    public static LabelSelector parse(String s) {
        if (s == null || s.isBlank()) {
            return EVERYTHING;
        }
        List<Requirement> out = new ArrayList<>();
        for (String part : splitTop(s)) {
            out.add(requirement(part.trim()));
        }
        return new LabelSelector(out);
    }

    /** Splits on commas outside parentheses. */
    private static List<String> splitTop(String s) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
                if (depth < 0) {
                    throw new IllegalArgumentException("unbalanced ')' in selector: " + s);
                }
            } else if (c == ',' && depth == 0) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        if (depth != 0) {
            throw new IllegalArgumentException("unbalanced '(' in selector: " + s);
        }
        parts.add(s.substring(start));
        return parts;
    }

    private static Requirement requirement(String p) {
        if (p.isEmpty()) {
            throw new IllegalArgumentException("empty requirement in label selector");
        }
        if (p.startsWith("!")) {
            return new Requirement(key(p.substring(1).trim()), Op.NOT_EXISTS, Set.of());
        }
        int ne = p.indexOf("!=");
        if (ne > 0) {
            return new Requirement(key(p.substring(0, ne)), Op.NOT_EQUALS, Set.of(value(p.substring(ne + 2))));
        }
        int eq = p.indexOf('=');
        if (eq > 0) {
            String v = p.startsWith("==", eq) ? p.substring(eq + 2) : p.substring(eq + 1);
            return new Requirement(key(p.substring(0, eq)), Op.EQUALS, Set.of(value(v)));
        }
        String[] words = p.split("\\s+", 3);
        if (words.length >= 2 && (words[1].equals("in") || words[1].equals("notin") || words[1].startsWith("in(")
                || words[1].startsWith("notin("))) {
            String rest = p.substring(p.indexOf(words[1]) + (words[1].startsWith("notin") ? 5 : 2)).trim();
            if (!rest.startsWith("(") || !rest.endsWith(")")) {
                throw new IllegalArgumentException("expected (values) in label selector: " + p);
            }
            Set<String> values = new TreeSet<>();
            for (String v : rest.substring(1, rest.length() - 1).split(",")) {
                if (!v.isBlank()) {
                    values.add(value(v));
                }
            }
            return new Requirement(key(words[0]), words[1].startsWith("notin") ? Op.NOT_IN : Op.IN, values);
        }
        if (words.length == 1) {
            return new Requirement(key(p), Op.EXISTS, Set.of());
        }
        throw new IllegalArgumentException("unable to parse requirement: " + p);
    }

    private static String key(String k) {
        String t = k.trim();
        if (t.isEmpty() || !t.matches("[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?")) {
            throw new IllegalArgumentException("invalid label key: '" + t + "'");
        }
        return t;
    }

    private static String value(String v) {
        String t = v.trim();
        if (!t.matches("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?")) {
            throw new IllegalArgumentException("invalid label value: '" + t + "'");
        }
        return t;
    }
}
