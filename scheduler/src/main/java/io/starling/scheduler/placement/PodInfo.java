package io.starling.scheduler.placement;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.starling.dht.kube.StarlingLabels;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the scheduler needs of a Pod. Build from fabric8 with {@link #from(Pod)}.
 *
 * @param namespace namespace
 * @param name name
 * @param labels pod labels
 * @param nodeName spec.nodeName ("" when unbound)
 * @param requests effective requests: max(sum of containers, largest init container), 1 pod
 * @param nodeSelector spec.nodeSelector
 * @param affinity spec.affinity (may be null)
 * @param tolerations spec.tolerations
 * @param users the starling.io/users annotation or null
 * @param homeSite the starling.io/home-site annotation ("" when missing)
 * @param terminal phase Succeeded or Failed (holds no resources)
 * @param ownerUid uid of the controller ownerReference (the ReplicaSet, StatefulSet, ...; "" when
 *     none): replicas of one owner are spread over nodes when scoring
 */
public record PodInfo(String namespace, String name, SortedMap<String, String> labels, String nodeName,
                      ResourceAmounts requests, SortedMap<String, String> nodeSelector, Affinity affinity,
                      List<Toleration> tolerations, String users, String homeSite, boolean terminal, String ownerUid) {

    public PodInfo {
        labels = new TreeMap<>(labels == null ? Map.of() : labels);
        nodeSelector = new TreeMap<>(nodeSelector == null ? Map.of() : nodeSelector);
        tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
        nodeName = nodeName == null ? "" : nodeName;
        homeSite = homeSite == null ? "" : homeSite;
        ownerUid = ownerUid == null ? "" : ownerUid;
    }

    /** A pod without a controller owner. */
    public PodInfo(String namespace, String name, SortedMap<String, String> labels, String nodeName,
                   ResourceAmounts requests, SortedMap<String, String> nodeSelector, Affinity affinity,
                   List<Toleration> tolerations, String users, String homeSite, boolean terminal) {
        this(namespace, name, labels, nodeName, requests, nodeSelector, affinity, tolerations, users, homeSite, terminal, "");
    }

    /** Whether both pods are replicas of one controller (same namespace and controller uid). */
    public boolean sameOwner(PodInfo other) {
        return !ownerUid.isEmpty() && ownerUid.equals(other.ownerUid) && namespace.equals(other.namespace);
    }

    public String key() {
        return namespace + "/" + name;
    }

    public boolean bound() {
        return !nodeName.isEmpty();
    }

    /** @throws IllegalArgumentException when a resource quantity cannot be read */
    public static PodInfo from(Pod pod) {
        var meta = pod.getMetadata();
        PodSpec spec = pod.getSpec() == null ? new PodSpec() : pod.getSpec();
        Map<String, String> ann = meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return new PodInfo(meta.getNamespace() == null ? "default" : meta.getNamespace(), meta.getName(),
                meta.getLabels() == null ? null : new TreeMap<>(meta.getLabels()), spec.getNodeName(), requests(spec),
                spec.getNodeSelector() == null ? null : new TreeMap<>(spec.getNodeSelector()), spec.getAffinity(),
                spec.getTolerations(), ann.get(StarlingLabels.USERS), ann.get(StarlingLabels.HOME_SITE),
                "Succeeded".equals(phase) || "Failed".equals(phase), controllerUid(pod));
    }

    private static String controllerUid(Pod pod) {
        if (pod.getMetadata().getOwnerReferences() == null) {
            return "";
        }
        for (var ref : pod.getMetadata().getOwnerReferences()) {
            if (Boolean.TRUE.equals(ref.getController()) && ref.getUid() != null) {
                return ref.getUid();
            }
        }
        return "";
    }

    static ResourceAmounts requests(PodSpec spec) {
        ResourceAmounts sum = ResourceAmounts.ZERO;
        if (spec.getContainers() != null) {
            for (Container c : spec.getContainers()) {
                sum = sum.plus(containerRequests(c));
            }
        }
        ResourceAmounts init = ResourceAmounts.ZERO;
        if (spec.getInitContainers() != null) {
            for (Container c : spec.getInitContainers()) {
                init = init.max(containerRequests(c));
            }
        }
        ResourceAmounts r = sum.max(init);
        return new ResourceAmounts(r.milliCpu(), r.memoryBytes(), 1);
    }

    private static ResourceAmounts containerRequests(Container c) {
        ResourceRequirements rr = c.getResources();
        if (rr == null) {
            return ResourceAmounts.ZERO;
        }
        // as the API server defaults it: a limit without a request is also the request
        Map<String, Quantity> req = new TreeMap<>();
        if (rr.getLimits() != null) {
            req.putAll(rr.getLimits());
        }
        if (rr.getRequests() != null) {
            req.putAll(rr.getRequests());
        }
        return new ResourceAmounts(Quantities.milliCpu(req), Quantities.memoryBytes(req), 0);
    }
}
