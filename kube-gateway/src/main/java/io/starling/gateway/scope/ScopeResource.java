package io.starling.gateway.scope;

import io.starling.dht.kube.ResourceType;
import io.starling.dht.store.CollectionKey;
import java.util.List;

/**
 * Where Scope objects live: a cluster-scoped collection of the default store scope, so every
 * super-peer reads and watches the same objects like any other resource.
 */
public final class ScopeResource {
    private ScopeResource() {}

    public static final ResourceType TYPE = new ResourceType(Scope.GROUP, Scope.VERSION, Scope.KIND, "scopes", false,
            List.of(), Scope.class);

    public static final String OWNER = "owner";
    public static final String MEMBER = "member";

    /** The group whose members are cluster administrators (the kubeconfig of {@code starling up}). */
    public static final String ADMIN_GROUP = "system:masters";

    public static CollectionKey collection() {
        return TYPE.collection(CollectionKey.DEFAULT_SCOPE, "");
    }
}
