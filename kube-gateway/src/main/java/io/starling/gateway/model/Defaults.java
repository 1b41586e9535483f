package io.starling.gateway.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/**
 * API defaulting as kube-apiserver applies it on every write (documented defaults of core/v1 and
 * apps/v1): pod spec and container fields, Deployment strategy and limits, Service ports, Secret
 * stringData. Works on JSON trees in place; only absent fields are filled.
 */
public final class Defaults {
    private Defaults() {}

    public static void apply(String apiVersion, String kind, ObjectNode obj) {
        switch (apiVersion + "/" + kind) {
            case "v1/Pod" -> podSpec(child(obj, "spec"));
            case "apps/v1/Deployment" -> deployment(obj);
            case "apps/v1/ReplicaSet" -> {
                ObjectNode spec = child(obj, "spec");
                spec.putIfAbsent("replicas", spec.numberNode(1));
                podSpec(child(child(spec, "template"), "spec"));
            }
            case "v1/Service" -> service(obj);
            case "v1/Secret" -> secret(obj);
            case "v1/Namespace" -> {
                ArrayNode fin = child(obj, "spec").withArray("finalizers");
                if (fin.isEmpty()) {
                    fin.add("kubernetes");
                }
            }
            default -> { }
        }
    }

    private static ObjectNode child(ObjectNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n instanceof ObjectNode o) {
            return o;
        }
        return parent.putObject(field);
    }

    private static void deployment(ObjectNode obj) {
        ObjectNode spec = child(obj, "spec");
        spec.putIfAbsent("replicas", spec.numberNode(1));
        spec.putIfAbsent("revisionHistoryLimit", spec.numberNode(10));
        spec.putIfAbsent("progressDeadlineSeconds", spec.numberNode(600));
        ObjectNode strategy = child(spec, "strategy");
        strategy.putIfAbsent("type", strategy.textNode("RollingUpdate"));
        if ("RollingUpdate".equals(strategy.path("type").asText())) {
            ObjectNode ru = child(strategy, "rollingUpdate");
            ru.putIfAbsent("maxUnavailable", ru.textNode("25%"));
            ru.putIfAbsent("maxSurge", ru.textNode("25%"));
        }
        podSpec(child(child(spec, "template"), "spec"));
    }

    public static void podSpec(ObjectNode spec) {
        spec.putIfAbsent("restartPolicy", spec.textNode("Always"));
        spec.putIfAbsent("dnsPolicy", spec.textNode("ClusterFirst"));
        spec.putIfAbsent("schedulerName", spec.textNode("default-scheduler"));
        spec.putIfAbsent("terminationGracePeriodSeconds", spec.numberNode(30L));
        spec.putIfAbsent("securityContext", spec.objectNode());
        for (String list : new String[] {"containers", "initContainers"}) {
            JsonNode cs = spec.get(list);
            if (cs instanceof ArrayNode arr) {
                for (JsonNode c : arr) {
                    if (c instanceof ObjectNode co) {
                        container(co);
                    }
                }
            }
        }
    }

    public static void container(ObjectNode c) {
        c.putIfAbsent("terminationMessagePath", c.textNode("/dev/termination-log"));
        c.putIfAbsent("terminationMessagePolicy", c.textNode("File"));
        c.putIfAbsent("resources", c.objectNode());
        String image = c.path("image").asText("");
        c.putIfAbsent("imagePullPolicy", c.textNode(pullsAlways(image) ? "Always" : "IfNotPresent"));
        JsonNode ports = c.get("ports");
        if (ports instanceof ArrayNode arr) {
            for (JsonNode p : arr) {
                if (p instanceof ObjectNode po) {
                    po.putIfAbsent("protocol", po.textNode("TCP"));
                }
            }
        }
    }

    /** Untagged and ":latest" images default to imagePullPolicy Always. */
    static boolean pullsAlways(String image) {
        if (image.contains("@")) {
            return false;
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon <= slash || image.substring(colon + 1).equals("latest");
    }

    private static void service(ObjectNode obj) {
        ObjectNode spec = child(obj, "spec");
        spec.putIfAbsent("type", spec.textNode("ClusterIP"));
        spec.putIfAbsent("sessionAffinity", spec.textNode("None"));
        JsonNode ports = spec.get("ports");
        if (ports instanceof ArrayNode arr) {
            for (JsonNode p : arr) {
                if (p instanceof ObjectNode po) {
                    po.putIfAbsent("protocol", po.textNode("TCP"));
                    if (po.has("port")) {
                        po.putIfAbsent("targetPort", po.get("port"));
                    }
                }
            }
        }
    }

    /** Folds stringData into data (base64), as the API server does; stringData is write-only. */
    private static void secret(ObjectNode obj) {
        obj.putIfAbsent("type", obj.textNode("Opaque"));
        JsonNode sd = obj.remove("stringData");
        if (sd instanceof ObjectNode sdo && !sdo.isEmpty()) {
            ObjectNode data = child(obj, "data");
            Iterator<Map.Entry<String, JsonNode>> it = sdo.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                data.put(e.getKey(), Base64.getEncoder().encodeToString(e.getValue().asText().getBytes(StandardCharsets.UTF_8)));
            }
        }
    }
}
