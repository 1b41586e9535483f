package io.starling.gateway.api;

import io.starling.dht.kube.ResourceType;
import io.starling.dht.kube.Resources;
import java.util.List;
import java.util.Locale;

/** What discovery says about a served resource beyond {@link ResourceType}: verbs, categories, subresources. */
public final class ResourceInfo {
    private ResourceInfo() {}

    public static final List<String> VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    /** A subresource and the kind (apiVersion) it answers with. */
    public record Sub(String name, String group, String version, String kind, List<String> verbs) {}

    public static String singular(ResourceType rt) {
        return rt.kind().toLowerCase(Locale.ROOT);
    }

    public static List<String> categories(ResourceType rt) {
        return rt == Resources.PODS || rt == Resources.SERVICES || rt == Resources.DEPLOYMENTS
                || rt == Resources.REPLICA_SETS ? List.of("all") : List.of();
    }

    public static List<Sub> subresources(ResourceType rt) {
        Sub status = new Sub("status", rt.group(), rt.version(), rt.kind(), List.of("get", "patch", "update"));
        Sub scale = new Sub("scale", "autoscaling", "v1", "Scale", List.of("get", "patch", "update"));
        if (rt == Resources.PODS) {
            return List.of(status, new Sub("log", "", "v1", "Pod", List.of("get")),
                    new Sub("exec", "", "v1", "PodExecOptions", List.of("create", "get")),
                    new Sub("binding", "", "v1", "Binding", List.of("create")),
                    new Sub("eviction", "policy", "v1", "Eviction", List.of("create")));
        }
        if (rt == Resources.DEPLOYMENTS || rt == Resources.REPLICA_SETS) {
            return List.of(status, scale);
        }
        if (rt == Resources.NODES || rt == Resources.NAMESPACES || rt == Resources.SERVICES) {
            return List.of(status);
        }
        return List.of();
    }

    /** Whether the resource has a status subresource, so writes to the main resource keep the old status. */
    public static boolean hasStatus(ResourceType rt) {
        return subresources(rt).stream().anyMatch(s -> s.name().equals("status"));
    }

    /** Group-versions served, in discovery order; "" is the legacy core group. */
    public static List<String> groups() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (ResourceType rt : ServedResources.ALL) {
            if (!out.contains(rt.group())) {
                out.add(rt.group());
            }
        }
        return out;
    }

    public static String versionOf(String group) {
        return ServedResources.ALL.stream().filter(r -> r.group().equals(group)).findFirst().map(ResourceType::version).orElse("v1");
    }

    public static List<ResourceType> inGroup(String group, String version) {
        return ServedResources.ALL.stream().filter(r -> r.group().equals(group) && r.version().equals(version)).toList();
    }
}
