package io.starling.scheduler.spill;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.starling.dht.kube.StarlingLabels;
import io.starling.scheduler.placement.NodeInfo;
import io.starling.scheduler.placement.PodInfo;
import io.starling.scheduler.placement.ResourceAmounts;
import io.starling.scheduler.vivaldi.Coordinate;
import io.starling.scheduler.vivaldi.CoordinateFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Free capacity of one site as its scheduler last saw it.
 *
 * @param site site name
 * @param free free capacity summed over ready, schedulable, untainted-by-NoSchedule nodes
 * @param maxNodeFreeMilliCpu most free CPU on any one such node
 * @param maxNodeFreeMemoryBytes most free memory on any one such node
 * @param schedulableNodes number of such nodes
 * @param centroid mean coordinate of the site's nodes (null when none has one)
 * @param updatedAtMillis wall-clock time of the computation (readers drop stale summaries)
 */
public record SiteSummary(String site, ResourceAmounts free, long maxNodeFreeMilliCpu, long maxNodeFreeMemoryBytes,
                          int schedulableNodes, Coordinate centroid, long updatedAtMillis) {
    public static final String NAMESPACE = "kube-system";
    public static final String NAME_PREFIX = "starling-site-";

    public static String configMapName(String site) {
        return NAME_PREFIX + site;
    }

    /** Summarizes {@code siteNodes} given the pods bound to them. */
    public static SiteSummary compute(String site, List<NodeInfo> siteNodes, List<PodInfo> bound, long nowMillis) {
        Map<String, ResourceAmounts> used = new TreeMap<>();
        for (PodInfo p : bound) {
            if (p.bound() && !p.terminal()) {
                used.merge(p.nodeName(), p.requests(), ResourceAmounts::plus);
            }
        }
        ResourceAmounts free = ResourceAmounts.ZERO;
        long maxCpu = 0;
        long maxMem = 0;
        int count = 0;
        List<Coordinate> coords = new ArrayList<>();
        List<NodeInfo> sorted = new ArrayList<>(siteNodes);
        sorted.sort(java.util.Comparator.comparing(NodeInfo::name));
        for (NodeInfo n : sorted) {
            if (n.coordinate() != null) {
                coords.add(n.coordinate());
            }
            boolean hardTaint = n.taints().stream()
                    .anyMatch(t -> "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect()));
            if (!n.ready() || n.unschedulable() || hardTaint) {
                continue;
            }
            ResourceAmounts f = n.allocatable().minus(used.getOrDefault(n.name(), ResourceAmounts.ZERO));
            f = new ResourceAmounts(Math.max(0, f.milliCpu()), Math.max(0, f.memoryBytes()), Math.max(0, f.pods()));
            free = free.plus(f);
            maxCpu = Math.max(maxCpu, f.milliCpu());
            maxMem = Math.max(maxMem, f.memoryBytes());
            count++;
        }
        return new SiteSummary(site, free, maxCpu, maxMem, count, Coordinate.centroid(coords), nowMillis);
    }

    /** Whether a pod with these requests plausibly fits (aggregate and largest-node check). */
    public boolean fits(ResourceAmounts request) {
        return free.fits(request) && request.milliCpu() <= maxNodeFreeMilliCpu && request.memoryBytes() <= maxNodeFreeMemoryBytes;
    }

    /** Same capacity picture (ignores the timestamp), to skip pointless rewrites. */
    public boolean sameContent(SiteSummary o) {
        return o != null && site.equals(o.site) && free.equals(o.free) && maxNodeFreeMilliCpu == o.maxNodeFreeMilliCpu
                && maxNodeFreeMemoryBytes == o.maxNodeFreeMemoryBytes && schedulableNodes == o.schedulableNodes
                && java.util.Objects.equals(centroid, o.centroid);
    }

    public ConfigMap toConfigMap() {
        Map<String, String> data = new TreeMap<>();
        data.put("site", site);
        data.put("freeMilliCpu", Long.toString(free.milliCpu()));
        data.put("freeMemoryBytes", Long.toString(free.memoryBytes()));
        data.put("freePods", Long.toString(free.pods()));
        data.put("maxNodeFreeMilliCpu", Long.toString(maxNodeFreeMilliCpu));
        data.put("maxNodeFreeMemoryBytes", Long.toString(maxNodeFreeMemoryBytes));
        data.put("schedulableNodes", Integer.toString(schedulableNodes));
        if (centroid != null) {
            data.put("centroid", CoordinateFormat.formatCoordinate(centroid));
        }
        data.put("updatedAtMillis", Long.toString(updatedAtMillis));
        return new ConfigMapBuilder().withNewMetadata().withNamespace(NAMESPACE).withName(configMapName(site))
                .withLabels(Map.of(StarlingLabels.SITE, site)).endMetadata().withData(data).build();
    }

    /** Reads a summary ConfigMap; empty when it is not one or is malformed. */
    public static Optional<SiteSummary> fromConfigMap(ConfigMap cm) {
        if (cm.getMetadata() == null || cm.getMetadata().getName() == null || !cm.getMetadata().getName().startsWith(NAME_PREFIX)
                || cm.getData() == null) {
            return Optional.empty();
        }
        Map<String, String> d = cm.getData();
        try {
            String site = d.get("site");
            if (site == null || site.isEmpty()) {
                return Optional.empty();
            }
            Coordinate centroid = d.containsKey("centroid") ? CoordinateFormat.parseCoordinate(d.get("centroid")) : null;
            return Optional.of(new SiteSummary(site,
                    new ResourceAmounts(num(d, "freeMilliCpu"), num(d, "freeMemoryBytes"), num(d, "freePods")),
                    num(d, "maxNodeFreeMilliCpu"), num(d, "maxNodeFreeMemoryBytes"), (int) num(d, "schedulableNodes"),
                    centroid, num(d, "updatedAtMillis")));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static long num(Map<String, String> d, String key) {
        String v = d.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing " + key);
        }
        return Long.parseLong(v.trim());
    }
}
