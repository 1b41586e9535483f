package io.starling.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.starling.dht.kube.ResourceType;
import io.starling.dht.kube.Resources;

/**
 * What an authorized request may see of the objects it reads or watches. Checked again for every
 * listed object and every watch event, against the live scope state, so a stream opened before a
 * revoke stops delivering the moment the revoke reaches this super-peer.
 */
public interface Access {
    /** May the caller see objects of this namespace (or, for Namespace objects, the namespace itself)? */
    boolean seesNamespace(String namespace);

    /** May the caller still see cluster-scoped objects of the request's resource (e.g. nodes)? */
    boolean seesClusterObjects();

    /** Everything: cluster administrators, and servers without tenancy. */
    Access ALL = new Access() {
        @Override
        public boolean seesNamespace(String namespace) {
            return true;
        }

        @Override
        public boolean seesClusterObjects() {
            return true;
        }
    };

    /** Whether {@code object} of type {@code rt} is visible. */
    default boolean sees(ResourceType rt, JsonNode object) {
        JsonNode meta = object.path("metadata");
        if (rt == Resources.NAMESPACES) {
            return seesNamespace(meta.path("name").asText(""));
        }
        if (rt.namespaced()) {
            return seesNamespace(meta.path("namespace").asText(""));
        }
        return seesClusterObjects();
    }
}
