package io.starling.gateway.patch;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The patch strategies of the list fields of core/v1, apps/v1, batch/v1 and meta/v1 types, keyed by
 * "GoTypeName.jsonField" (fabric8 model classes carry the Go type names). Transcribed from the
 * patchStrategy/patchMergeKey/listMapKey struct tags documented in the Kubernetes API reference.
 * A list field not named here is atomic: a patch replaces it whole (e.g. tolerations, args, command).
 */
final class MergeKeyTable {
    private static final Map<String, ListStrategy> LISTS = build();
    /**
     * Types marked +structType=atomic: server-side apply owns and replaces them as a whole
     * (strategic merge patch still merges their fields, as it only reads patchStrategy tags).
     */
    private static final Set<String> ATOMIC_STRUCTS = Set.of("LabelSelector", "LocalObjectReference",
            "TypedLocalObjectReference", "ObjectReference", "SecretReference", "ConfigMapKeySelector",
            "SecretKeySelector", "ObjectFieldSelector", "ResourceFieldSelector", "NodeSelector", "NodeSelectorTerm",
            "TopologySelectorTerm");
    /** Maps marked +mapType=atomic ("Type.field"). */
    private static final Set<String> ATOMIC_MAPS = Set.of("ServiceSpec.selector", "PodSpec.nodeSelector",
            "ReplicationControllerSpec.selector");

    private MergeKeyTable() {}

    static ListStrategy lookup(String typeName, String field) {
        ListStrategy s = LISTS.get(typeName + "." + field);
        return s == null ? ListStrategy.ATOMIC : s;
    }

    /** True for a field server-side apply treats as one value: an atomic map, or a value of an atomic struct type. */
    static boolean atomic(String typeName, String field, String fieldTypeName) {
        return ATOMIC_MAPS.contains(typeName + "." + field) || ATOMIC_STRUCTS.contains(fieldTypeName);
    }

    private static Map<String, ListStrategy> build() {
        Map<String, ListStrategy> m = new TreeMap<>();
        // meta/v1
        m.put("ObjectMeta.finalizers", ListStrategy.SET);
        m.put("ObjectMeta.ownerReferences", ListStrategy.keyed("uid"));
        // core/v1 PodSpec (also inside every pod template)
        m.put("PodSpec.volumes", ListStrategy.keyedRetainKeys("name"));
        m.put("PodSpec.containers", ListStrategy.keyed("name"));
        m.put("PodSpec.initContainers", ListStrategy.keyed("name"));
        m.put("PodSpec.ephemeralContainers", ListStrategy.keyed("name"));
        m.put("PodSpec.imagePullSecrets", ListStrategy.keyed("name"));
        m.put("PodSpec.hostAliases", ListStrategy.keyed("ip"));
        m.put("PodSpec.topologySpreadConstraints", ListStrategy.keyed("topologyKey", "whenUnsatisfiable"));
        m.put("PodSpec.schedulingGates", ListStrategy.keyed("name"));
        m.put("PodSpec.resourceClaims", ListStrategy.keyedRetainKeys("name"));
        for (String container : new String[] {"Container", "EphemeralContainer"}) {
            m.put(container + ".ports", ListStrategy.keyed("containerPort", "protocol"));
            m.put(container + ".env", ListStrategy.keyed("name"));
            m.put(container + ".volumeMounts", ListStrategy.keyed("mountPath"));
            m.put(container + ".volumeDevices", ListStrategy.keyed("devicePath"));
        }
        // core/v1 status types
        m.put("PodStatus.conditions", ListStrategy.keyed("type"));
        m.put("PodStatus.podIPs", ListStrategy.keyed("ip"));
        m.put("PodStatus.hostIPs", ListStrategy.keyed("ip"));
        m.put("PodStatus.resourceClaimStatuses", ListStrategy.keyedRetainKeys("name"));
        m.put("ContainerStatus.volumeMounts", ListStrategy.keyed("mountPath"));
        m.put("ContainerStatus.allocatedResourcesStatus", ListStrategy.keyed("name"));
        m.put("NodeSpec.podCIDRs", ListStrategy.SET);
        m.put("NodeStatus.conditions", ListStrategy.keyed("type"));
        m.put("NodeStatus.addresses", ListStrategy.keyed("type"));
        m.put("NamespaceStatus.conditions", ListStrategy.keyed("type"));
        m.put("ServiceSpec.ports", ListStrategy.keyed("port", "protocol"));
        m.put("ServiceStatus.conditions", ListStrategy.keyed("type"));
        m.put("ServiceAccount.secrets", ListStrategy.keyed("name"));
        m.put("ReplicationControllerStatus.conditions", ListStrategy.keyed("type"));
        m.put("PersistentVolumeClaimStatus.conditions", ListStrategy.keyed("type"));
        // apps/v1 and batch/v1 status conditions
        m.put("DeploymentStatus.conditions", ListStrategy.keyed("type"));
        m.put("ReplicaSetStatus.conditions", ListStrategy.keyed("type"));
        m.put("DaemonSetStatus.conditions", ListStrategy.keyed("type"));
        m.put("StatefulSetStatus.conditions", ListStrategy.keyed("type"));
        m.put("JobStatus.conditions", ListStrategy.keyed("type"));
        return Map.copyOf(m);
    }
}
