package io.starling.gateway.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed field selector ({@code metadata.name=x,status.phase!=Running}). Field paths are read from
 * the object's JSON (metadata.name, metadata.namespace, spec.nodeName, status.phase, involvedObject.*,
 * ...); a missing field reads as "".
 */
public final class FieldSelector {
    /** One term: field path, expected value, negated. */
    public record Term(String field, String value, boolean negated) {}

    public static final FieldSelector EVERYTHING = new FieldSelector(List.of());

    private final List<Term> terms;

    private FieldSelector(List<Term> terms) {
        this.terms = List.copyOf(terms);
    }

    public List<Term> terms() {
        return terms;
    }

    /** The value a term requires for {@code field} with "=", if any (e.g. metadata.name for a single-object watch). */
    public String exact(String field) {
        for (Term t : terms) {
            if (t.field.equals(field) && !t.negated) {
                return t.value;
            }
        }
        return null;
    }

    public static FieldSelector parse(String s) {
        if (s == null || s.isBlank()) {
            return EVERYTHING;
        }
        List<Term> out = new ArrayList<>();
        for (String part : s.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int ne = p.indexOf("!=");
            int eq = p.indexOf('=');
            if (ne > 0) {
                out.add(new Term(field(p.substring(0, ne)), p.substring(ne + 2).trim(), true));
            } else if (eq > 0) {
                String v = p.startsWith("==", eq) ? p.substring(eq + 2) : p.substring(eq + 1);
                out.add(new Term(field(p.substring(0, eq)), v.trim(), false));
            } else {
                throw new IllegalArgumentException("invalid field selector term: '" + p + "'");
            }
        }
        return new FieldSelector(out);
    }

    private static String field(String f) {
        String t = f.trim();
        if (!t.matches("[A-Za-z][A-Za-z0-9]*(\\.[A-Za-z][A-Za-z0-9]*)*")) {
            throw new IllegalArgumentException("invalid field selector field: '" + t + "'");
        }
        return t;
    }

    public boolean matches(JsonNode object) {
        for (Term t : terms) {
            JsonNode n = object;
            for (String seg : t.field.split("\\.")) {
                n = n == null ? null : n.get(seg);
            }
            String actual = n == null || n.isNull() || n.isContainerNode() ? "" : n.asText();
            if (actual.equals(t.value) == t.negated) {
                return false;
            }
        }
        return true;
    }
}
