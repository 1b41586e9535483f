package io.starling.scheduler.placement;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.starling.dht.kube.StarlingLabels;
import io.starling.scheduler.vivaldi.Coordinate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Small builders for scheduler tests. */
public final class Fixtures {
    private Fixtures() {}

    public static NodeInfo node(String name, String site, long milliCpu, long memMi, Coordinate c) {
        return new NodeInfo(name, site, new TreeMap<>(Map.of(StarlingLabels.SITE, site, NodeInfo.HOSTNAME_LABEL, name)),
                List.of(), false, true, new ResourceAmounts(milliCpu, memMi << 20, 110), c);
    }

    public static NodeInfo withLabels(NodeInfo n, Map<String, String> extra) {
        TreeMap<String, String> l = new TreeMap<>(n.labels());
        l.putAll(extra);
        return new NodeInfo(n.name(), n.site(), l, n.taints(), n.unschedulable(), n.ready(), n.allocatable(), n.coordinate());
    }

    public static NodeInfo withTaints(NodeInfo n, List<Taint> taints) {
        return new NodeInfo(n.name(), n.site(), n.labels(), taints, n.unschedulable(), n.ready(), n.allocatable(), n.coordinate());
    }

    public static NodeInfo withState(NodeInfo n, boolean unschedulable, boolean ready) {
        return new NodeInfo(n.name(), n.site(), n.labels(), n.taints(), unschedulable, ready, n.allocatable(), n.coordinate());
    }

    public static PodInfo pod(String name, long milliCpu, long memMi) {
        return new PodInfo("default", name, null, null, new ResourceAmounts(milliCpu, memMi << 20, 1), null, null, null, null, "", false);
    }

    public static PodInfo pod(String name, long milliCpu, long memMi, Map<String, String> labels, Affinity affinity,
                              List<Toleration> tolerations, String users) {
        return new PodInfo("default", name, new TreeMap<>(labels), null, new ResourceAmounts(milliCpu, memMi << 20, 1),
                null, affinity, tolerations, users, "", false);
    }

    public static PodInfo boundTo(PodInfo p, String node) {
        return new PodInfo(p.namespace(), p.name(), p.labels(), node, p.requests(), p.nodeSelector(), p.affinity(),
                p.tolerations(), p.users(), p.homeSite(), p.terminal(), p.ownerUid());
    }

    /** An unbound replica of the controller with uid {@code ownerUid}. */
    public static PodInfo replica(String name, long milliCpu, long memMi, String ownerUid, String users) {
        return new PodInfo("default", name, null, null, new ResourceAmounts(milliCpu, memMi << 20, 1), null, null, null,
                users, "", false, ownerUid);
    }

    public static Taint taint(String key, String value, String effect) {
        return new Taint(effect, key, null, value);
    }

    public static Toleration toleration(String key, String op, String value, String effect) {
        return new Toleration(effect, key, op, null, value);
    }

    public static Affinity antiAffinity(String topologyKey, Map<String, String> matchLabels) {
        return new AffinityBuilder().withNewPodAntiAffinity().addNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withTopologyKey(topologyKey).withNewLabelSelector().withMatchLabels(matchLabels).endLabelSelector()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity().build();
    }

    public static Affinity affinity(String topologyKey, Map<String, String> matchLabels) {
        return new AffinityBuilder().withNewPodAffinity().addNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withTopologyKey(topologyKey).withNewLabelSelector().withMatchLabels(matchLabels).endLabelSelector()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endPodAffinity().build();
    }

    /** A ready fabric8 Node of {@code site} with allocatable cpu/memory and a 2-D coordinate. */
    public static Node k8sNode(String name, String site, String cpu, String memory, double x, double y) {
        return new NodeBuilder().withNewMetadata().withName(name)
                .withLabels(Map.of(StarlingLabels.SITE, site, NodeInfo.HOSTNAME_LABEL, name))
                .withAnnotations(Map.of(StarlingLabels.COORDINATES, x + "," + y + ",1.0,0.1")).endMetadata()
                .withNewSpec().endSpec()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition()
                .withAllocatable(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory), "pods", new Quantity("110")))
                .endStatus().build();
    }

    /** An unbound fabric8 Pod homed in {@code site} requesting cpu/memory. */
    public static Pod k8sPod(String ns, String name, String site, String cpu, String memory) {
        return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name)
                .withAnnotations(new TreeMap<>(Map.of(StarlingLabels.HOME_SITE, site))).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox").withNewResources()
                .withRequests(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory))).endResources().endContainer()
                .endSpec().withNewStatus().withPhase("Pending").endStatus().build();
    }
}
