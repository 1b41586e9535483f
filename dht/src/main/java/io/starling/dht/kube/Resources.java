package io.starling.dht.kube;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Optional;

/** The built-in resources Starling serves and stores. Order is the discovery order. */
public final class Resources {
    private Resources() {}

    public static final ResourceType NAMESPACES = new ResourceType("", "v1", "Namespace", "namespaces", false, List.of("ns"), Namespace.class);
    public static final ResourceType NODES = new ResourceType("", "v1", "Node", "nodes", false, List.of("no"), Node.class);
    public static final ResourceType PODS = new ResourceType("", "v1", "Pod", "pods", true, List.of("po"), Pod.class);
    public static final ResourceType SERVICES = new ResourceType("", "v1", "Service", "services", true, List.of("svc"), Service.class);
    public static final ResourceType ENDPOINTS = new ResourceType("", "v1", "Endpoints", "endpoints", true, List.of("ep"), Endpoints.class);
    public static final ResourceType CONFIGMAPS = new ResourceType("", "v1", "ConfigMap", "configmaps", true, List.of("cm"), ConfigMap.class);
    public static final ResourceType SECRETS = new ResourceType("", "v1", "Secret", "secrets", true, List.of(), Secret.class);
    public static final ResourceType SERVICE_ACCOUNTS = new ResourceType("", "v1", "ServiceAccount", "serviceaccounts", true, List.of("sa"), ServiceAccount.class);
    public static final ResourceType EVENTS = new ResourceType("", "v1", "Event", "events", true, List.of("ev"), Event.class);
    public static final ResourceType DEPLOYMENTS = new ResourceType("apps", "v1", "Deployment", "deployments", true, List.of("deploy"), Deployment.class);
    public static final ResourceType REPLICA_SETS = new ResourceType("apps", "v1", "ReplicaSet", "replicasets", true, List.of("rs"), ReplicaSet.class);
    public static final ResourceType LEASES = new ResourceType("coordination.k8s.io", "v1", "Lease", "leases", true, List.of(), Lease.class);
    public static final ResourceType ENDPOINT_SLICES = new ResourceType("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", true, List.of(), EndpointSlice.class);

    public static final List<ResourceType> ALL = List.of(NAMESPACES, NODES, PODS, SERVICES, ENDPOINTS, CONFIGMAPS,
            SECRETS, SERVICE_ACCOUNTS, EVENTS, DEPLOYMENTS, REPLICA_SETS, LEASES, ENDPOINT_SLICES);

    public static Optional<ResourceType> byResource(String group, String resource) {
        return ALL.stream().filter(r -> r.group().equals(group) && r.resource().equals(resource)).findFirst();
    }

    public static Optional<ResourceType> byKind(String apiVersion, String kind) {
        return ALL.stream().filter(r -> r.apiVersion().equals(apiVersion) && r.kind().equals(kind)).findFirst();
    }

    public static <T> ResourceType of(Class<T> type) {
        return ALL.stream().filter(r -> r.type() == type).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a served resource: " + type.getName()));
    }
}
