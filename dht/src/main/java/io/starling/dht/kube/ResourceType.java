package io.starling.dht.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.starling.dht.store.CollectionKey;
import java.util.List;

/**
 * One served Kubernetes resource: where its objects live in the store and which model class
 * reads them.
 *
 * @param group API group ("" = core)
 * @param version served version
 * @param kind object kind, e.g. "Pod"
 * @param resource plural, e.g. "pods"
 * @param namespaced whether objects live in namespaces
 * @param shortNames kubectl short names
 * @param type fabric8 model class
 */
public record ResourceType(String group, String version, String kind, String resource, boolean namespaced,
                           List<String> shortNames, Class<? extends HasMetadata> type) {

    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    public CollectionKey collection(String scope, String namespace) {
        return new CollectionKey(scope, group, resource, namespaced ? namespace : "");
    }

    public CollectionKey collection(String namespace) {
        return collection(CollectionKey.DEFAULT_SCOPE, namespace);
    }
}
