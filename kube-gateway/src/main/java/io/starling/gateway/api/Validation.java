package io.starling.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.dht.kube.ResourceType;
import io.starling.dht.kube.Resources;
import io.starling.gateway.model.FieldValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Request-body checks that kube-apiserver makes before storing: types, unknown fields, names, required fields. */
public final class Validation {
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private Validation() {}

    /** fieldValidation directive. */
    public enum FieldMode { STRICT, WARN, IGNORE }

    public static FieldMode fieldMode(String param) {
        if (param == null || param.isEmpty()) {
            return FieldMode.WARN;
        }
        return switch (param) {
            case "Strict" -> FieldMode.STRICT;
            case "Warn" -> FieldMode.WARN;
            case "Ignore" -> FieldMode.IGNORE;
            default -> throw ApiException.badRequest("fieldValidation must be one of Strict, Warn, Ignore: '" + param + "'");
        };
    }

    /**
     * Checks apiVersion/kind, unknown fields and that the body decodes as the kind's model.
     *
     * @return warnings (unknown fields under Warn)
     */
    public static List<String> checkBody(ResourceType rt, ObjectNode obj, FieldMode mode) {
        String kind = Json.text(obj, "kind");
        String apiVersion = Json.text(obj, "apiVersion");
        if (kind != null && !kind.equals(rt.kind())) {
            throw ApiException.badRequest("the kind of the provided object (" + kind + ") does not match the resource ("
                    + rt.kind() + ")");
        }
        if (apiVersion != null && !apiVersion.equals(rt.apiVersion())) {
            throw ApiException.badRequest("the API version in the data (" + apiVersion + ") does not match the expected API version ("
                    + rt.apiVersion() + ")");
        }
        List<String> warnings = new ArrayList<>();
        if (mode != FieldMode.IGNORE) {
            List<String> unknown = FieldValidator.unknownFields(obj, rt.type());
            if (!unknown.isEmpty() && mode == FieldMode.STRICT) {
                StringBuilder msg = new StringBuilder(rt.kind() + " in version \"" + rt.version() + "\" cannot be handled as a "
                        + rt.kind() + ": strict decoding error: ");
                for (int i = 0; i < unknown.size(); i++) {
                    msg.append(i == 0 ? "" : ", ").append("unknown field \"").append(unknown.get(i)).append('"');
                }
                throw ApiException.badRequest(msg.toString());
            }
            for (String u : unknown) {
                warnings.add("unknown field \"" + u + "\"");
            }
        }
        if (rt == Resources.SECRETS || rt == Resources.CONFIGMAPS) {
            base64Values(obj.path(rt == Resources.SECRETS ? "data" : "binaryData"), rt);
        }
        try {
            Json.MAPPER.treeToValue(obj, rt.type());
        } catch (Exception e) {
            String m = String.valueOf(e.getMessage());
            int nl = m.indexOf('\n');
            throw ApiException.badRequest(rt.kind() + " in version \"" + rt.version() + "\" cannot be handled as a " + rt.kind()
                    + ": " + (nl < 0 ? m : m.substring(0, nl)));
        }
        return warnings;
    }

    /** Secret.data and ConfigMap.binaryData carry base64; anything else cannot be decoded (400 like kube-apiserver). */
    private static void base64Values(JsonNode map, ResourceType rt) {
        map.fields().forEachRemaining(e -> {
            try {
                java.util.Base64.getDecoder().decode(e.getValue().asText());
            } catch (IllegalArgumentException ex) {
                throw ApiException.badRequest(rt.kind() + " in version \"v1\" cannot be handled as a " + rt.kind()
                        + ": illegal base64 data in key \"" + e.getKey() + "\"");
            }
        });
    }

    /** Semantic checks (422 Invalid) on the object about to be stored. */
    public static void checkObject(ResourceType rt, ObjectNode obj) {
        String name = Json.text(obj, "metadata", "name");
        List<String> errs = new ArrayList<>();
        boolean label = rt == Resources.NAMESPACES || rt == Resources.SERVICES;
        if (name == null || name.isEmpty()) {
            errs.add("metadata.name: Required value: name or generateName is required");
        } else if (label ? !(DNS_LABEL.matcher(name).matches() && name.length() <= 63)
                : !(DNS_SUBDOMAIN.matcher(name).matches() && name.length() <= 253) && rt != Resources.NODES) {
            errs.add("metadata.name: Invalid value: \"" + name + "\": a lowercase RFC 1123 "
                    + (label ? "label" : "subdomain") + " must consist of lower case alphanumeric characters, '-' or '.'");
        }
        JsonNode spec = obj.path("spec");
        if (rt == Resources.PODS) {
            containers(spec.path("containers"), "spec.containers", errs);
        } else if (rt == Resources.DEPLOYMENTS || rt == Resources.REPLICA_SETS) {
            if (!spec.path("selector").isObject() || spec.path("selector").isEmpty()) {
                errs.add("spec.selector: Required value");
            } else {
                JsonNode labels = spec.path("template").path("metadata").path("labels");
                spec.path("selector").path("matchLabels").fields().forEachRemaining(e -> {
                    if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                        errs.add("spec.template.metadata.labels: Invalid value: `selector` does not match template `labels`");
                    }
                });
            }
            if (spec.path("replicas").asInt(0) < 0) {
                errs.add("spec.replicas: Invalid value: " + spec.path("replicas").asInt() + ": must be greater than or equal to 0");
            }
            containers(spec.path("template").path("spec").path("containers"), "spec.template.spec.containers", errs);
        } else if (rt == io.starling.gateway.scope.ScopeResource.TYPE) {
            errs.addAll(io.starling.gateway.scope.ScopeResource.check(spec));
        }
        if (!errs.isEmpty()) {
            throw ApiException.invalid(rt.kind(), name == null ? "" : name, errs.stream().distinct().toList());
        }
    }

    private static void containers(JsonNode cs, String path, List<String> errs) {
        if (!cs.isArray() || cs.isEmpty()) {
            errs.add(path + ": Required value");
            return;
        }
        for (int i = 0; i < cs.size(); i++) {
            if (cs.get(i).path("name").asText("").isEmpty()) {
                errs.add(path + "[" + i + "].name: Required value");
            }
            if (cs.get(i).path("image").asText("").isEmpty()) {
                errs.add(path + "[" + i + "].image: Required value");
            }
        }
    }
}
