package io.starling.gateway.api;

import io.starling.dht.kube.ResourceType;
import java.util.List;
import java.util.Optional;

/**
 * What a resource URL addresses.
 *
 * @param type the resource
 * @param namespace namespace from the URL; {@code null} for cluster-scoped resources and for
 *     all-namespaces collections of namespaced ones
 * @param name object name, {@code null} for the collection
 * @param subresource e.g. "status", "scale", "log"; {@code null} for the object itself
 */
public record Target(ResourceType type, String namespace, String name, String subresource) {

    /** The namespace to store under: "" for cluster-scoped resources. */
    public String storeNamespace() {
        return namespace == null ? "" : namespace;
    }

    public boolean allNamespaces() {
        return type.namespaced() && namespace == null;
    }

    /**
     * Parses the segments after /api/v1 or /apis/G/V. Empty when the path names no served resource.
     */
    public static Optional<Target> parse(String group, String version, List<String> seg) {
        if (seg.isEmpty()) {
            return Optional.empty();
        }
        if (seg.get(0).equals("namespaces") && seg.size() >= 3) {
            Optional<ResourceType> rt = ServedResources.byResource(group, seg.get(2))
                    .filter(r -> r.namespaced() && r.version().equals(version));
            if (rt.isPresent()) {
                if (seg.size() > 5) {
                    return Optional.empty();
                }
                return Optional.of(new Target(rt.get(), seg.get(1), seg.size() > 3 ? seg.get(3) : null,
                        seg.size() > 4 ? seg.get(4) : null));
            }
        }
        Optional<ResourceType> rt = ServedResources.byResource(group, seg.get(0)).filter(r -> r.version().equals(version));
        if (rt.isEmpty() || seg.size() > 3) {
            return Optional.empty();
        }
        if (rt.get().namespaced() && seg.size() > 1) {
            return Optional.empty();
        }
        return Optional.of(new Target(rt.get(), null, seg.size() > 1 ? seg.get(1) : null, seg.size() > 2 ? seg.get(2) : null));
    }
}
