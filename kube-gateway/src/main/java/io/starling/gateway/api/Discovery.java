package io.starling.gateway.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.dht.kube.ResourceType;
import java.util.List;

/**
 * API discovery documents: legacy (/api, /apis, /api/v1, /apis/G/V) and aggregated discovery v2
 * (apidiscovery.k8s.io/v2 APIGroupDiscoveryList), built from the resource table.
 */
public final class Discovery {
    public static final String AGGREGATED_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    private Discovery() {}

    /** Whether the Accept header asks for aggregated discovery v2. */
    public static boolean wantsAggregated(String accept) {
        for (String part : accept.split(",")) {
            String p = part.replace(" ", "");
            if (p.contains("g=apidiscovery.k8s.io") && p.contains("v=v2;") && p.contains("as=APIGroupDiscoveryList")
                    && !p.contains("v=v2beta1")) {
                return true;
            }
        }
        return false;
    }

    public static ObjectNode apiVersions(String serverAddress) {
        ObjectNode o = Json.object();
        o.put("kind", "APIVersions");
        o.putArray("versions").add("v1");
        ObjectNode cidr = o.putArray("serverAddressByClientCIDRs").addObject();
        cidr.put("clientCIDR", "0.0.0.0/0");
        cidr.put("serverAddress", serverAddress);
        return o;
    }

    public static ObjectNode apiGroupList() {
        ObjectNode o = Json.object();
        o.put("kind", "APIGroupList");
        o.put("apiVersion", "v1");
        ArrayNode groups = o.putArray("groups");
        for (String g : ResourceInfo.groups()) {
            if (g.isEmpty()) {
                continue;
            }
            String v = ResourceInfo.versionOf(g);
            ObjectNode group = groups.addObject();
            group.put("name", g);
            ObjectNode gv = group.putArray("versions").addObject();
            gv.put("groupVersion", g + "/" + v);
            gv.put("version", v);
            ObjectNode pref = group.putObject("preferredVersion");
            pref.put("groupVersion", g + "/" + v);
            pref.put("version", v);
        }
        return o;
    }

    /** Legacy APIResourceList of one group-version. */
    public static ObjectNode resourceList(String group, String version) {
        List<ResourceType> types = ResourceInfo.inGroup(group, version);
        ObjectNode o = Json.object();
        o.put("kind", "APIResourceList");
        o.put("apiVersion", "v1");
        o.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode rs = o.putArray("resources");
        for (ResourceType rt : types) {
            ObjectNode r = rs.addObject();
            r.put("name", rt.resource());
            r.put("singularName", ResourceInfo.singular(rt));
            r.put("namespaced", rt.namespaced());
            r.put("kind", rt.kind());
            strings(r.putArray("verbs"), ResourceInfo.VERBS);
            if (!rt.shortNames().isEmpty()) {
                strings(r.putArray("shortNames"), rt.shortNames());
            }
            if (!ResourceInfo.categories(rt).isEmpty()) {
                strings(r.putArray("categories"), ResourceInfo.categories(rt));
            }
            for (ResourceInfo.Sub s : ResourceInfo.subresources(rt)) {
                ObjectNode sr = rs.addObject();
                sr.put("name", rt.resource() + "/" + s.name());
                sr.put("singularName", "");
                sr.put("namespaced", rt.namespaced());
                if (!s.group().equals(rt.group())) {
                    sr.put("group", s.group());
                    sr.put("version", s.version());
                }
                sr.put("kind", s.kind());
                strings(sr.putArray("verbs"), s.verbs());
            }
        }
        return o;
    }

    /** Aggregated discovery for /api ({@code legacy}) or /apis. */
    public static ObjectNode aggregated(boolean legacy) {
        ObjectNode o = Json.object();
        o.put("kind", "APIGroupDiscoveryList");
        o.put("apiVersion", "apidiscovery.k8s.io/v2");
        o.putObject("metadata");
        ArrayNode items = o.putArray("items");
        for (String g : ResourceInfo.groups()) {
            if (g.isEmpty() != legacy) {
                continue;
            }
            String v = ResourceInfo.versionOf(g);
            ObjectNode item = items.addObject();
            ObjectNode meta = item.putObject("metadata");
            meta.put("name", g);
            meta.put("creationTimestamp", (String) null);
            ObjectNode ver = item.putArray("versions").addObject();
            ver.put("version", v);
            ArrayNode resources = ver.putArray("resources");
            for (ResourceType rt : ResourceInfo.inGroup(g, v)) {
                ObjectNode r = resources.addObject();
                r.put("resource", rt.resource());
                ObjectNode kind = r.putObject("responseKind");
                kind.put("group", rt.group());
                kind.put("version", rt.version());
                kind.put("kind", rt.kind());
                r.put("scope", rt.namespaced() ? "Namespaced" : "Cluster");
                r.put("singularResource", ResourceInfo.singular(rt));
                strings(r.putArray("verbs"), ResourceInfo.VERBS);
                if (!rt.shortNames().isEmpty()) {
                    strings(r.putArray("shortNames"), rt.shortNames());
                }
                if (!ResourceInfo.categories(rt).isEmpty()) {
                    strings(r.putArray("categories"), ResourceInfo.categories(rt));
                }
                List<ResourceInfo.Sub> subs = ResourceInfo.subresources(rt);
                if (!subs.isEmpty()) {
                    ArrayNode sa = r.putArray("subresources");
                    for (ResourceInfo.Sub s : subs) {
                        ObjectNode sr = sa.addObject();
                        sr.put("subresource", s.name());
                        ObjectNode sk = sr.putObject("responseKind");
                        sk.put("group", s.group());
                        sk.put("version", s.version());
                        sk.put("kind", s.kind());
                        strings(sr.putArray("verbs"), s.verbs());
                    }
                }
            }
            ver.put("freshness", "Current");
        }
        return o;
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }
}
