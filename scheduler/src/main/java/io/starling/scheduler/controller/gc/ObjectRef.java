package io.starling.scheduler.controller.gc;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.starling.dht.kube.ResourceType;
import io.starling.dht.kube.Resources;

/** Names one object of a served resource; {@link #key()} is its work-queue key {@code resource|namespace|name}. */
record ObjectRef(ResourceType type, String namespace, String name) {
    static ObjectRef of(ResourceType type, HasMetadata obj) {
        String ns = obj.getMetadata().getNamespace();
        return new ObjectRef(type, type.namespaced() && ns != null ? ns : "", obj.getMetadata().getName());
    }

    String key() {
        return type.group() + "/" + type.resource() + "|" + namespace + "|" + name;
    }

    static ObjectRef parse(String key) {
        String[] p = key.split("\\|", -1);
        String[] gr = p[0].split("/", -1);
        ResourceType rt = Resources.byResource(gr[0], gr[1]).orElseThrow(() -> new IllegalArgumentException("unknown resource in " + key));
        return new ObjectRef(rt, p[1], p[2]);
    }
}
