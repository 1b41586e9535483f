package io.starling.gateway.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Finds fields the schema of a kind does not declare (fieldValidation=Strict|Warn), reported with
 * kube-apiserver's path syntax: {@code spec.template.spec.containers[0].foo}.
 */
public final class FieldValidator {
    private FieldValidator() {}

    public static List<String> unknownFields(JsonNode object, Class<?> type) {
        List<String> out = new ArrayList<>();
        walk(object, ModelSchemas.of(type), "", out);
        return out;
    }

    private static void walk(JsonNode node, ModelSchemas.Shape shape, String path, List<String> out) {
        if (node == null || node.isNull()) {
            return;
        }
        if (shape instanceof ModelSchemas.Shape.Obj obj && node.isObject()) {
            Map<String, ModelSchemas.Shape> props = obj.properties();
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                ModelSchemas.Shape s = props.get(e.getKey());
                if (s == null) {
                    out.add(p);
                } else {
                    walk(e.getValue(), s, p, out);
                }
            }
        } else if (shape instanceof ModelSchemas.Shape.Arr arr && node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), arr.item(), path + "[" + i + "]", out);
            }
        } else if (shape instanceof ModelSchemas.Shape.MapOf map && node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                walk(e.getValue(), map.value(), path + "." + e.getKey(), out);
            }
        }
    }
}
