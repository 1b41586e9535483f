package io.starling.scheduler.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetSpec;
import io.starling.dht.kube.KubeJson;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ReplicaSetControllerTest {
    private final ClusterFixture c = new ClusterFixture();

    private void replicaSet(int replicas) {
        ReplicaSet rs = new ReplicaSet();
        rs.setMetadata(ClusterFixture.meta("web", "default"));
        ReplicaSetSpec spec = new ReplicaSetSpec();
        spec.setReplicas(replicas);
        LabelSelector sel = new LabelSelector();
        sel.setMatchLabels(Map.of("app", "web"));
        spec.setSelector(sel);
        PodTemplateSpec t = new PodTemplateSpec();
        t.setMetadata(new ObjectMeta());
        t.getMetadata().setLabels(Map.of("app", "web"));
        PodSpec ps = new PodSpec();
        Container ct = new Container();
        ct.setName("main");
        ct.setImage("nginx");
        ps.setContainers(List.of(ct));
        t.setSpec(ps);
        spec.setTemplate(t);
        rs.setSpec(spec);
        c.await(c.client.create(rs));
        c.settle();
    }

    @Test
    void adoptsMatchingOrphansInsteadOfCreating() {
        Pod orphan = new Pod();
        orphan.setMetadata(ClusterFixture.meta("handmade", "default"));
        orphan.getMetadata().setLabels(Map.of("app", "web"));
        orphan.setSpec(new PodSpec());
        c.await(c.client.create(orphan));
        replicaSet(2);
        List<Pod> pods = c.pods();
        assertEquals(2, pods.size());
        Pod adopted = pods.stream().filter(p -> p.getMetadata().getName().equals("handmade")).findFirst().orElseThrow();
        assertEquals("web", adopted.getMetadata().getOwnerReferences().get(0).getName());
    }

    @Test
    void releasesRelabelledPodsAndReplacesThem() {
        replicaSet(2);
        Pod p = c.pods().get(0);
        Pod copy = KubeJson.copy(p, Pod.class);
        copy.getMetadata().setLabels(new TreeMap<>(Map.of("app", "debug")));
        c.await(c.client.update(copy));
        c.settle();
        Pod released = c.await(c.client.get(Pod.class, "default", p.getMetadata().getName())).orElseThrow();
        assertTrue(released.getMetadata().getOwnerReferences() == null || released.getMetadata().getOwnerReferences().isEmpty());
        assertEquals(3, c.pods().size(), "2 in the set plus the released one");
    }

    @Test
    void scaleDownRemovesUnscheduledAndUnreadyPodsFirst() {
        replicaSet(3);
        List<Pod> pods = c.pods();
        // pod 0 ready on n1, pod 1 bound but not ready, pod 2 unscheduled
        String readyName = pods.get(0).getMetadata().getName();
        c.runAndReady("n1", x -> x.getMetadata().getName().equals(readyName));
        Pod bound = KubeJson.copy(c.await(c.client.get(Pod.class, "default", pods.get(1).getMetadata().getName())).orElseThrow(), Pod.class);
        bound.getSpec().setNodeName("n1");
        c.await(c.client.update(bound));
        c.settle();
        ReplicaSet rs = c.await(c.client.get(ReplicaSet.class, "default", "web")).orElseThrow();
        rs.getSpec().setReplicas(1);
        c.await(c.client.update(rs));
        c.settle();
        c.finalizeTerminating();
        List<Pod> left = c.pods();
        assertEquals(1, left.size());
        assertEquals(readyName, left.get(0).getMetadata().getName());
        assertTrue(c.await(c.client.list(io.fabric8.kubernetes.api.model.Event.class, "default")).stream()
                .anyMatch(e -> "SuccessfulDelete".equals(e.getReason())));
    }
}
