package io.starling.scheduler.placement;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.starling.dht.kube.StarlingLabels;
import io.starling.scheduler.vivaldi.Coordinate;
import io.starling.scheduler.vivaldi.CoordinateFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the scheduler needs of a Node. Build from fabric8 with {@link #from(Node)}.
 *
 * @param name node name
 * @param site value of the starling.io/site label ("" when missing)
 * @param labels node labels
 * @param taints spec.taints
 * @param unschedulable spec.unschedulable (cordoned)
 * @param ready condition Ready is True
 * @param allocatable status.allocatable (capacity when allocatable is missing; 110 pods by default)
 * @param coordinate Vivaldi coordinate from the starling.io/vivaldi annotation, or null
 */
public record NodeInfo(String name, String site, SortedMap<String, String> labels, List<Taint> taints,
                       boolean unschedulable, boolean ready, ResourceAmounts allocatable, Coordinate coordinate) {
    public static final String HOSTNAME_LABEL = "kubernetes.io/hostname";
    static final long DEFAULT_MAX_PODS = 110;

    public NodeInfo {
        labels = new TreeMap<>(labels == null ? Map.of() : labels);
        taints = taints == null ? List.of() : List.copyOf(taints);
        site = site == null ? "" : site;
    }

    /** Reads a fabric8 Node; a malformed coordinate annotation just means "no coordinate". */
    public static NodeInfo from(Node node) {
        var meta = node.getMetadata();
        Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
        boolean unschedulable = node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
        List<Taint> taints = node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
        boolean ready = false;
        ResourceAmounts allocatable = ResourceAmounts.ZERO;
        if (node.getStatus() != null) {
            if (node.getStatus().getConditions() != null) {
                for (NodeCondition c : node.getStatus().getConditions()) {
                    if ("Ready".equals(c.getType())) {
                        ready = "True".equals(c.getStatus());
                    }
                }
            }
            var alloc = node.getStatus().getAllocatable() != null && !node.getStatus().getAllocatable().isEmpty()
                    ? node.getStatus().getAllocatable() : node.getStatus().getCapacity();
            try {
                allocatable = new ResourceAmounts(Quantities.milliCpu(alloc), Quantities.memoryBytes(alloc),
                        Quantities.count(alloc, "pods", DEFAULT_MAX_PODS));
            } catch (IllegalArgumentException e) {
                allocatable = ResourceAmounts.ZERO; // unreadable capacity: nothing fits, never a crash
            }
        }
        Coordinate coordinate = null;
        String coords = meta.getAnnotations() == null ? null : meta.getAnnotations().get(StarlingLabels.COORDINATES);
        if (coords != null) {
            try {
                coordinate = CoordinateFormat.parseState(coords).coordinate();
            } catch (IllegalArgumentException e) {
                coordinate = null;
            }
        }
        return new NodeInfo(meta.getName(), labels.getOrDefault(StarlingLabels.SITE, ""), new TreeMap<>(labels), taints,
                unschedulable, ready, allocatable, coordinate);
    }

    /** The node's value for a topology key; the hostname key falls back to the node name. */
    public String topologyValue(String key) {
        String v = labels.get(key);
        if (v == null && HOSTNAME_LABEL.equals(key)) {
            return name;
        }
        if (v == null && StarlingLabels.SITE.equals(key) && !site.isEmpty()) {
            return site;
        }
        return v;
    }

    /** Same node for scheduling purposes (ignores the coordinate, which jiggles all the time). */
    public boolean sameForScheduling(NodeInfo o) {
        return o != null && name.equals(o.name) && site.equals(o.site) && labels.equals(o.labels) && taints.equals(o.taints)
                && unschedulable == o.unschedulable && ready == o.ready && allocatable.equals(o.allocatable);
    }
}
