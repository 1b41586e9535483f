package io.starling.gateway.api;

import io.starling.dht.kube.ResourceType;
import io.starling.dht.kube.Resources;
import io.starling.gateway.scope.ScopeResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The gateway's resource table: the built-in {@link Resources} plus Starling's own Scope resource. */
public final class ServedResources {
    private ServedResources() {}

    public static final List<ResourceType> ALL;

    static {
        List<ResourceType> all = new ArrayList<>(Resources.ALL);
        all.add(ScopeResource.TYPE);
        ALL = List.copyOf(all);
    }

    public static Optional<ResourceType> byResource(String group, String resource) {
        return ALL.stream().filter(r -> r.group().equals(group) && r.resource().equals(resource)).findFirst();
    }
}
