package io.starling.scheduler.controller.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.starling.dht.kube.KubeJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The {@code pod-template-hash}: 32-bit FNV-1a over a canonical JSON form of the pod template
 * (object keys sorted, so field order never matters) plus the collision count, printed as decimal
 * and mapped onto the API's safe alphabet, as Kubernetes does. Templates are compared for
 * equality ignoring that label.
 */
public final class PodTemplateHash {
    public static final String LABEL = "pod-template-hash";
    private static final String SAFE = "bcdfghjklmnpqrstvwxz2456789";

    private PodTemplateHash() {}

    public static String of(PodTemplateSpec template, Integer collisionCount) {
        int h = 0x811c9dc5;
        for (byte b : canonical(withoutHash(template)).getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x01000193;
        }
        if (collisionCount != null && collisionCount > 0) {
            for (byte b : Integer.toString(collisionCount).getBytes(StandardCharsets.UTF_8)) {
                h ^= (b & 0xff);
                h *= 0x01000193;
            }
        }
        String dec = Long.toString(h & 0xffffffffL);
        StringBuilder out = new StringBuilder(dec.length());
        for (char c : dec.toCharArray()) {
            out.append(SAFE.charAt(c % SAFE.length()));
        }
        return out.toString();
    }

    /** Whether two templates are equal apart from the pod-template-hash label. */
    public static boolean equalIgnoringHash(PodTemplateSpec a, PodTemplateSpec b) {
        return withoutHash(a).equals(withoutHash(b));
    }

    private static JsonNode withoutHash(PodTemplateSpec t) {
        JsonNode node = KubeJson.MAPPER.valueToTree(t == null ? new PodTemplateSpec() : t);
        JsonNode labels = node.path("metadata").path("labels");
        if (labels.isObject()) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) labels).remove(LABEL);
            if (labels.isEmpty()) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) node.path("metadata")).remove("labels");
            }
        }
        JsonNode meta = node.path("metadata");
        if (meta.isObject() && meta.isEmpty()) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) node).remove("metadata");
        }
        return node;
    }

    static String canonical(JsonNode n) {
        StringBuilder sb = new StringBuilder();
        write(n, sb);
        return sb.toString();
    }

    private static void write(JsonNode n, StringBuilder sb) {
        if (n.isObject()) {
            List<String> names = new ArrayList<>();
            n.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            sb.append('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(quote(names.get(i))).append(':');
                write(n.get(names.get(i)), sb);
            }
            sb.append('}');
        } else if (n.isArray()) {
            sb.append('[');
            Iterator<JsonNode> it = n.elements();
            boolean first = true;
            while (it.hasNext()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                write(it.next(), sb);
            }
            sb.append(']');
        } else {
            sb.append(n.toString());
        }
    }

    private static String quote(String s) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(s).toString();
    }

}
