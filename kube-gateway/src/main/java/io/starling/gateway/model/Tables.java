package io.starling.gateway.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.dht.kube.StarlingLabels;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * meta.k8s.io/v1 Table rendering (what {@code kubectl get} prints) with the columns kube-apiserver
 * uses per kind; priority-1 columns appear only with {@code -o wide}. Ages are relative to
 * {@code nowMillis}, formatted like kubectl's human durations.
 */
public final class Tables {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Tables() {}

    /** How much of each object a row carries (?includeObject=). */
    public enum Include { NONE, METADATA, OBJECT }

    private record Col(String name, String type, String format, int priority, Function<ObjectNode, JsonNode> cell) {}

    public static Include include(String param) {
        if (param == null || param.isEmpty() || param.equals("Metadata")) {
            return Include.METADATA;
        }
        return param.equals("Object") ? Include.OBJECT : Include.NONE;
    }

    /** Whether the Accept header asks for a Table. */
    public static boolean wanted(String accept) {
        for (String part : accept.split(",")) {
            String p = part.replace(" ", "");
            if (p.contains("as=Table") && p.contains("g=meta.k8s.io") && p.contains("v=v1") && !p.contains("v=v1beta1")) {
                return true;
            }
        }
        return false;
    }

    public static ObjectNode table(String kind, List<ObjectNode> objects, String resourceVersion, Include include, long nowMillis) {
        return table(kind, objects, resourceVersion, include, nowMillis, null);
    }

    /**
     * @param viewerCoordinates Vivaldi coordinate "X,Y,HEIGHT,ERROR" of the serving super-peer, or null;
     *     Node tables then show each node's estimated RTT from it (wide output)
     */
    public static ObjectNode table(String kind, List<ObjectNode> objects, String resourceVersion, Include include, long nowMillis,
                                   String viewerCoordinates) {
        List<Col> cols = columns(kind, nowMillis, viewerCoordinates);
        ObjectNode t = F.objectNode();
        t.put("kind", "Table");
        t.put("apiVersion", "meta.k8s.io/v1");
        ObjectNode meta = t.putObject("metadata");
        if (resourceVersion != null) {
            meta.put("resourceVersion", resourceVersion);
        }
        ArrayNode defs = t.putArray("columnDefinitions");
        for (Col c : cols) {
            ObjectNode d = defs.addObject();
            d.put("name", c.name);
            d.put("type", c.type);
            d.put("format", c.format);
            d.put("description", c.name);
            d.put("priority", c.priority);
        }
        ArrayNode rows = t.putArray("rows");
        for (ObjectNode o : objects) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (Col c : cols) {
                JsonNode v;
                try {
                    v = c.cell.apply(o);
                } catch (RuntimeException e) {
                    v = F.textNode("<unknown>");
                }
                cells.add(v);
            }
            if (include == Include.OBJECT) {
                row.set("object", o);
            } else if (include == Include.METADATA) {
                ObjectNode pom = row.putObject("object");
                pom.put("kind", "PartialObjectMetadata");
                pom.put("apiVersion", "meta.k8s.io/v1");
                pom.set("metadata", o.path("metadata").deepCopy());
            }
        }
        return t;
    }

    private static List<Col> columns(String kind, long now, String viewer) {
        List<Col> c = new ArrayList<>();
        Col name = new Col("Name", "string", "name", 0, o -> txt(o.path("metadata").path("name").asText()));
        Col age = new Col("Age", "string", "", 0, o -> txt(age(o.path("metadata").path("creationTimestamp").asText(null), now)));
        c.add(name);
        switch (kind) {
            case "Pod" -> {
                c.add(new Col("Ready", "string", "", 0, Tables::podReady));
                c.add(new Col("Status", "string", "", 0, Tables::podStatus));
                c.add(new Col("Restarts", "string", "", 0, Tables::podRestarts));
                c.add(age);
                c.add(new Col("IP", "string", "", 1, o -> txt(orNone(o.path("status").path("podIP").asText("")))));
                c.add(new Col("Node", "string", "", 1, o -> txt(orNone(o.path("spec").path("nodeName").asText("")))));
                c.add(new Col("Nominated Node", "string", "", 1, o -> txt(orNone(o.path("status").path("nominatedNodeName").asText("")))));
                c.add(new Col("Readiness Gates", "string", "", 1, o -> txt("<none>")));
            }
            case "Deployment" -> {
                c.add(new Col("Ready", "string", "", 0, o -> txt(o.path("status").path("readyReplicas").asInt(0) + "/"
                        + o.path("spec").path("replicas").asInt(1))));
                c.add(new Col("Up-to-date", "integer", "", 0, o -> F.numberNode(o.path("status").path("updatedReplicas").asInt(0))));
                c.add(new Col("Available", "integer", "", 0, o -> F.numberNode(o.path("status").path("availableReplicas").asInt(0))));
                c.add(age);
                workloadWide(c);
            }
            case "ReplicaSet" -> {
                c.add(new Col("Desired", "integer", "", 0, o -> F.numberNode(o.path("spec").path("replicas").asInt(1))));
                c.add(new Col("Current", "integer", "", 0, o -> F.numberNode(o.path("status").path("replicas").asInt(0))));
                c.add(new Col("Ready", "integer", "", 0, o -> F.numberNode(o.path("status").path("readyReplicas").asInt(0))));
                c.add(age);
                workloadWide(c);
            }
            case "Service" -> {
                c.add(new Col("Type", "string", "", 0, o -> txt(o.path("spec").path("type").asText("ClusterIP"))));
                c.add(new Col("Cluster-IP", "string", "", 0, o -> txt(orNone(o.path("spec").path("clusterIP").asText("")))));
                c.add(new Col("External-IP", "string", "", 0, o -> txt(externalIps(o))));
                c.add(new Col("Port(s)", "string", "", 0, Tables::servicePorts));
                c.add(age);
                c.add(new Col("Selector", "string", "", 1, o -> txt(selector(o.path("spec").path("selector")))));
            }
            case "ConfigMap" -> {
                c.add(new Col("Data", "integer", "", 0, o -> F.numberNode(o.path("data").size() + o.path("binaryData").size())));
                c.add(age);
            }
            case "Secret" -> {
                c.add(new Col("Type", "string", "", 0, o -> txt(o.path("type").asText("Opaque"))));
                c.add(new Col("Data", "integer", "", 0, o -> F.numberNode(o.path("data").size())));
                c.add(age);
            }
            case "Namespace" -> {
                c.add(new Col("Status", "string", "", 0, o -> txt(o.path("status").path("phase").asText("Active"))));
                c.add(age);
            }
            case "Node" -> {
                c.add(new Col("Status", "string", "", 0, Tables::nodeStatus));
                c.add(new Col("Roles", "string", "", 0, Tables::nodeRoles));
                c.add(new Col("Site", "string", "", 0, o -> txt(orNone(o.path("metadata").path("labels").path(StarlingLabels.SITE).asText("")))));
                c.add(age);
                c.add(new Col("Version", "string", "", 0, o -> txt(o.path("status").path("nodeInfo").path("kubeletVersion").asText(""))));
                c.add(new Col("Internal-IP", "string", "", 1, o -> txt(nodeAddress(o, "InternalIP"))));
                c.add(new Col("OS-Image", "string", "", 1, o -> txt(orNone(o.path("status").path("nodeInfo").path("osImage").asText("")))));
                c.add(new Col("Container-Runtime", "string", "", 1,
                        o -> txt(orNone(o.path("status").path("nodeInfo").path("containerRuntimeVersion").asText("")))));
                c.add(new Col("Est-RTT", "string", "", 1, o -> txt(CoordinateDistance.describe(viewer,
                        o.path("metadata").path("annotations").path(StarlingLabels.COORDINATES).asText(null)))));
            }
            case "Event" -> {
                c.clear();
                c.add(new Col("Last Seen", "string", "", 0, o -> txt(age(firstNonEmpty(o.path("lastTimestamp").asText(""),
                        o.path("eventTime").asText(""), o.path("metadata").path("creationTimestamp").asText("")), now))));
                c.add(new Col("Type", "string", "", 0, o -> txt(o.path("type").asText(""))));
                c.add(new Col("Reason", "string", "", 0, o -> txt(o.path("reason").asText(""))));
                c.add(new Col("Object", "string", "", 0, o -> txt(o.path("involvedObject").path("kind").asText("").toLowerCase()
                        + "/" + o.path("involvedObject").path("name").asText(""))));
                c.add(new Col("Message", "string", "", 0, o -> txt(o.path("message").asText(""))));
                c.add(name.priority == 0 ? new Col("Name", "string", "name", 1, name.cell) : name);
            }
            case "Lease" -> {
                c.add(new Col("Holder", "string", "", 0, o -> txt(o.path("spec").path("holderIdentity").asText(""))));
                c.add(age);
            }
            case "EndpointSlice" -> {
                c.add(new Col("AddressType", "string", "", 0, o -> txt(o.path("addressType").asText(""))));
                c.add(new Col("Ports", "string", "", 0, o -> txt(joined(o.path("ports"), p -> p.path("port").asText()))));
                c.add(new Col("Endpoints", "string", "", 0, o -> txt(joined(o.path("endpoints"),
                        e -> joined(e.path("addresses"), JsonNode::asText)))));
                c.add(age);
            }
            case "Endpoints" -> {
                c.add(new Col("Endpoints", "string", "", 0, o -> txt(joined(o.path("subsets"),
                        s -> joined(s.path("addresses"), a -> a.path("ip").asText())))));
                c.add(age);
            }
            case "ServiceAccount" -> {
                c.add(new Col("Secrets", "integer", "", 0, o -> F.numberNode(o.path("secrets").size())));
                c.add(age);
            }
            default -> c.add(age);
        }
        return c;
    }

    private static void workloadWide(List<Col> c) {
        c.add(new Col("Containers", "string", "", 1, o -> txt(joined(o.path("spec").path("template").path("spec").path("containers"),
                x -> x.path("name").asText()))));
        c.add(new Col("Images", "string", "", 1, o -> txt(joined(o.path("spec").path("template").path("spec").path("containers"),
                x -> x.path("image").asText()))));
        c.add(new Col("Selector", "string", "", 1, o -> txt(selector(o.path("spec").path("selector").path("matchLabels")))));
    }

    private static JsonNode txt(String s) {
        return F.textNode(s);
    }

    private static String orNone(String s) {
        return s == null || s.isEmpty() ? "<none>" : s;
    }

    private static String firstNonEmpty(String... s) {
        for (String x : s) {
            if (x != null && !x.isEmpty()) {
                return x;
            }
        }
        return null;
    }

    private static String joined(JsonNode arr, Function<JsonNode, String> f) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : arr) {
            String s = f.apply(n);
            if (s != null && !s.isEmpty()) {
                out.add(s);
            }
        }
        return out.isEmpty() ? "<none>" : String.join(",", out);
    }

    private static String selector(JsonNode labels) {
        if (!labels.isObject() || labels.isEmpty()) {
            return "<none>";
        }
        List<String> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = labels.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.add(e.getKey() + "=" + e.getValue().asText());
        }
        return String.join(",", out);
    }

    private static JsonNode podReady(ObjectNode o) {
        int total = o.path("spec").path("containers").size();
        int ready = 0;
        for (JsonNode cs : o.path("status").path("containerStatuses")) {
            if (cs.path("ready").asBoolean(false)) {
                ready++;
            }
        }
        return txt(ready + "/" + total);
    }

    private static JsonNode podStatus(ObjectNode o) {
        if (o.path("metadata").hasNonNull("deletionTimestamp")) {
            return txt("Terminating");
        }
        JsonNode status = o.path("status");
        String reason = status.path("reason").asText("");
        if (reason.isEmpty()) {
            reason = status.path("phase").asText("Pending");
        }
        for (JsonNode cs : status.path("containerStatuses")) {
            String waiting = cs.path("state").path("waiting").path("reason").asText("");
            String terminated = cs.path("state").path("terminated").path("reason").asText("");
            if (!waiting.isEmpty()) {
                reason = waiting;
            } else if (!terminated.isEmpty()) {
                reason = terminated;
            }
        }
        return txt(reason);
    }

    private static JsonNode podRestarts(ObjectNode o) {
        int restarts = 0;
        for (JsonNode cs : o.path("status").path("containerStatuses")) {
            restarts += cs.path("restartCount").asInt(0);
        }
        return txt(Integer.toString(restarts));
    }

    private static String externalIps(ObjectNode o) {
        List<String> ips = new ArrayList<>();
        for (JsonNode i : o.path("status").path("loadBalancer").path("ingress")) {
            ips.add(i.path("ip").asText(i.path("hostname").asText("")));
        }
        for (JsonNode i : o.path("spec").path("externalIPs")) {
            ips.add(i.asText());
        }
        if (ips.isEmpty()) {
            return "LoadBalancer".equals(o.path("spec").path("type").asText()) ? "<pending>" : "<none>";
        }
        return String.join(",", ips);
    }

    private static JsonNode servicePorts(ObjectNode o) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : o.path("spec").path("ports")) {
            String s = p.path("port").asText();
            if (p.hasNonNull("nodePort")) {
                s += ":" + p.path("nodePort").asText();
            }
            out.add(s + "/" + p.path("protocol").asText("TCP"));
        }
        return txt(out.isEmpty() ? "<none>" : String.join(",", out));
    }

    private static JsonNode nodeStatus(ObjectNode o) {
        String status = "Unknown";
        for (JsonNode c : o.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText())) {
                status = "True".equals(c.path("status").asText()) ? "Ready" : "NotReady";
            }
        }
        if (o.path("spec").path("unschedulable").asBoolean(false)) {
            status += ",SchedulingDisabled";
        }
        return txt(status);
    }

    private static JsonNode nodeRoles(ObjectNode o) {
        TreeSet<String> roles = new TreeSet<>();
        Iterator<String> it = o.path("metadata").path("labels").fieldNames();
        while (it.hasNext()) {
            String k = it.next();
            if (k.startsWith("node-role.kubernetes.io/")) {
                roles.add(k.substring("node-role.kubernetes.io/".length()));
            }
        }
        String role = o.path("metadata").path("labels").path(StarlingLabels.ROLE).asText("");
        if (!role.isEmpty()) {
            roles.add(role);
        }
        return txt(roles.isEmpty() ? "<none>" : String.join(",", roles));
    }

    private static String nodeAddress(ObjectNode o, String type) {
        for (JsonNode a : o.path("status").path("addresses")) {
            if (type.equals(a.path("type").asText())) {
                return a.path("address").asText();
            }
        }
        return "<none>";
    }

    /** Human age like kubectl: 45s, 3m20s, 75m, 5h12m, 30h, 3d4h, 400d, 2y30d. */
    public static String age(String timestamp, long nowMillis) {
        if (timestamp == null || timestamp.isEmpty()) {
            return "<unknown>";
        }
        long then;
        try {
            then = Instant.parse(timestamp).toEpochMilli();
        } catch (DateTimeParseException e) {
            return "<invalid>";
        }
        return humanDuration(Math.max(0, nowMillis - then) / 1000);
    }

    static String humanDuration(long s) {
        if (s < 120) {
            return s + "s";
        }
        long m = s / 60;
        if (m < 10) {
            long rs = s % 60;
            return rs == 0 ? m + "m" : m + "m" + rs + "s";
        }
        if (m < 180) {
            return m + "m";
        }
        long h = m / 60;
        if (h < 8) {
            long rm = m % 60;
            return rm == 0 ? h + "h" : h + "h" + rm + "m";
        }
        if (h < 48) {
            return h + "h";
        }
        long d = h / 24;
        if (h < 24 * 8) {
            long rh = h % 24;
            return rh == 0 ? d + "d" : d + "d" + rh + "h";
        }
        if (d < 365 * 2) {
            return d + "d";
        }
        long y = d / 365;
        long rd = d % 365;
        return rd == 0 ? y + "y" : y + "y" + rd + "d";
    }
}
