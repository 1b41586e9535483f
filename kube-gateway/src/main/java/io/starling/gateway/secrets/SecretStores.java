package io.starling.gateway.secrets;

import io.starling.dht.store.CollectionKey;
import io.starling.dht.store.ObjectKey;

/** Where sealing keeps its state in the store, and which objects it seals. Internal collections: not served by the API. */
public final class SecretStores {
    public static final String GROUP = "scopes.starling.io";
    public static final String API_VERSION = GROUP + "/v1alpha1";

    private SecretStores() {}

    /** One published key-agreement key per super-peer, named by node id (hex). */
    public static CollectionKey peerKeys() {
        return new CollectionKey(CollectionKey.DEFAULT_SCOPE, GROUP, "peerkeys", "");
    }

    /** Scope keys, each wrapped per super-peer, named {@code <scope>.<creating site>.<version>}. */
    public static CollectionKey scopeKeys() {
        return new CollectionKey(CollectionKey.DEFAULT_SCOPE, GROUP, "scopekeys", "");
    }

    /** Whether a key names a Secret (core group, namespaced). */
    public static boolean isSecret(ObjectKey key) {
        return isSecrets(key.collection());
    }

    public static boolean isSecrets(CollectionKey c) {
        return c.group().isEmpty() && c.resource().equals("secrets") && !c.namespace().isEmpty();
    }
}
