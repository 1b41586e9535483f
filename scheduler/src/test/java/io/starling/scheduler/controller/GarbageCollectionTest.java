package io.starling.scheduler.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.starling.dht.kube.KubeJson;
import io.starling.dht.kube.Resources;
import io.starling.scheduler.controller.gc.GarbageCollector;
import java.util.List;
import org.junit.jupiter.api.Test;

class GarbageCollectionTest {
    private final ClusterFixture c = new ClusterFixture();

    @Test
    void backgroundDeletionOfADeploymentRemovesItsReplicaSetsAndPods() {
        c.deployment("web", 3, "nginx:1", x -> {});
        c.kubeletUntilStable("n1");
        assertEquals(3, c.pods().size());
        c.await(c.client.delete(Resources.DEPLOYMENTS, "default", "web"));
        c.settle();
        assertEquals(0, c.replicaSets().size());
        c.kubeletUntilStable("n1"); // the agent finishes the graceful pod deletions
        assertEquals(0, c.pods().size());
    }

    @Test
    void foregroundDeletionDeletesDependentsFirstThenTheOwner() {
        c.deployment("web", 2, "nginx:1", x -> {});
        c.kubeletUntilStable("n1");
        // what the gateway does for propagationPolicy=Foreground
        Deployment d = c.deploymentNow("web");
        d.getMetadata().setFinalizers(List.of(GarbageCollector.FOREGROUND));
        d.getMetadata().setDeletionTimestamp(c.client.timestamp());
        c.await(c.client.update(d));
        c.settle();
        assertTrue(c.await(c.client.get(Deployment.class, "default", "web")).isPresent(), "owner waits for its dependents");
        for (int i = 0; i < 20 && c.await(c.client.get(Deployment.class, "default", "web")).isPresent(); i++) {
            c.finalizeTerminating();
            c.advance(1000);
        }
        assertTrue(c.await(c.client.get(Deployment.class, "default", "web")).isEmpty());
        assertEquals(0, c.replicaSets().size());
        assertEquals(0, c.pods().size());
    }

    @Test
    void orphanDeletionKeepsDependentsAndDropsTheirOwnerReference() {
        c.deployment("web", 2, "nginx:1", x -> {});
        c.kubeletUntilStable("n1");
        Deployment d = c.deploymentNow("web");
        d.getMetadata().setFinalizers(List.of(GarbageCollector.ORPHAN));
        d.getMetadata().setDeletionTimestamp(c.client.timestamp());
        c.await(c.client.update(d));
        c.advance(2000);
        assertTrue(c.await(c.client.get(Deployment.class, "default", "web")).isEmpty());
        List<ReplicaSet> rss = c.replicaSets();
        assertEquals(1, rss.size());
        assertTrue(rss.get(0).getMetadata().getOwnerReferences() == null || rss.get(0).getMetadata().getOwnerReferences().isEmpty());
        assertEquals(2, c.pods().size(), "orphaned ReplicaSet keeps its pods");

        // the same Deployment applied again adopts the orphan instead of starting new pods
        java.util.Set<String> podNames = new java.util.TreeSet<>();
        c.pods().forEach(p -> podNames.add(p.getMetadata().getName()));
        Deployment again = c.deployment("web", 2, "nginx:1", x -> {});
        c.kubeletUntilStable("n1");
        rss = c.replicaSets();
        assertEquals(1, rss.size());
        assertEquals(again.getMetadata().getUid(), rss.get(0).getMetadata().getOwnerReferences().get(0).getUid());
        java.util.Set<String> after = new java.util.TreeSet<>();
        c.pods().forEach(p -> after.add(p.getMetadata().getName()));
        assertEquals(podNames, after);
    }

    @Test
    void namespaceDeletionCascades() {
        c.namespace("team");
        c.settle();
        ConfigMap cm = new ConfigMap();
        cm.setMetadata(ClusterFixture.meta("settings", "team"));
        c.await(c.client.create(cm));
        Pod p = new Pod();
        p.setMetadata(ClusterFixture.meta("lonely", "team"));
        p.setSpec(new io.fabric8.kubernetes.api.model.PodSpec());
        c.await(c.client.create(p));
        c.settle();
        // what the gateway does on DELETE of a namespace
        Namespace ns = c.await(c.client.get(Namespace.class, "", "team")).orElseThrow();
        Namespace copy = KubeJson.copy(ns, Namespace.class);
        copy.getMetadata().setDeletionTimestamp(c.client.timestamp());
        c.await(c.client.update(copy));
        c.advance(3000);
        assertTrue(c.await(c.client.list(ConfigMap.class, "team")).isEmpty());
        assertTrue(c.await(c.client.list(Pod.class, "team")).isEmpty());
        assertTrue(c.await(c.client.get(Namespace.class, "", "team")).isEmpty());
        assertTrue(c.await(c.client.get(Namespace.class, "", "default")).isPresent());
    }
}
