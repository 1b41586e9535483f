package io.starling.scheduler.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.starling.scheduler.controller.deployment.DeploymentController;
import io.starling.scheduler.controller.deployment.PodTemplateHash;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeploymentControllerTest {
    private final ClusterFixture c = new ClusterFixture();

    private static String revision(ReplicaSet rs) {
        return rs.getMetadata().getAnnotations().get(DeploymentController.REVISION);
    }

    private static DeploymentCondition cond(Deployment d, String type) {
        return d.getStatus().getConditions().stream().filter(x -> type.equals(x.getType())).findFirst().orElseThrow();
    }

    @Test
    void deploymentCreatesReplicaSetAndPodsAndReportsComplete() {
        Deployment d = c.deployment("web", 3, "nginx:1", x -> {});
        List<ReplicaSet> rss = c.replicaSets();
        assertEquals(1, rss.size());
        ReplicaSet rs = rss.get(0);
        String hash = rs.getMetadata().getLabels().get(PodTemplateHash.LABEL);
        assertEquals("web-" + hash, rs.getMetadata().getName());
        assertEquals(hash, rs.getSpec().getSelector().getMatchLabels().get(PodTemplateHash.LABEL));
        assertEquals("1", revision(rs));
        OwnerReference ref = rs.getMetadata().getOwnerReferences().get(0);
        assertEquals(d.getMetadata().getUid(), ref.getUid());
        assertTrue(ref.getController() && ref.getBlockOwnerDeletion());

        List<Pod> pods = c.pods();
        assertEquals(3, pods.size());
        for (Pod p : pods) {
            assertTrue(p.getMetadata().getName().matches("web-" + hash + "-[a-z0-9]{5}"), p.getMetadata().getName());
            assertEquals(rs.getMetadata().getUid(), p.getMetadata().getOwnerReferences().get(0).getUid());
            assertEquals(hash, p.getMetadata().getLabels().get(PodTemplateHash.LABEL));
        }
        c.kubeletUntilStable("n1");
        Deployment now = c.deploymentNow("web");
        assertEquals(1L, now.getStatus().getObservedGeneration());
        assertEquals(3, now.getStatus().getReplicas());
        assertEquals(3, now.getStatus().getUpdatedReplicas());
        assertEquals(3, now.getStatus().getReadyReplicas());
        assertEquals(3, now.getStatus().getAvailableReplicas());
        assertEquals("NewReplicaSetAvailable", cond(now, "Progressing").getReason());
        assertEquals("True", cond(now, "Available").getStatus());
        assertEquals("1", now.getMetadata().getAnnotations().get(DeploymentController.REVISION));
    }

    @Test
    void scalesUpAndDown() {
        c.deployment("web", 3, "nginx:1", x -> {});
        c.kubeletUntilStable("n1");
        c.editSpec(Deployment.class, "web", d -> d.getSpec().setReplicas(5));
        c.kubeletUntilStable("n1");
        assertEquals(5, c.livePods(p -> true).size());
        assertEquals(5, c.deploymentNow("web").getStatus().getAvailableReplicas());
        c.editSpec(Deployment.class, "web", d -> d.getSpec().setReplicas(1));
        c.kubeletUntilStable("n1");
        assertEquals(1, c.pods().size());
        Deployment now = c.deploymentNow("web");
        assertEquals(1, now.getStatus().getReplicas());
        assertEquals(1, c.replicaSets().size());
    }

    @Test
    void rollingUpdateRespectsSurgeAndUnavailabilityAndUndoReusesTheOldReplicaSet() {
        c.deployment("web", 4, "nginx:1", d -> {
            var s = new io.fabric8.kubernetes.api.model.apps.DeploymentStrategy();
            s.setType("RollingUpdate");
            var ru = new io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment();
            ru.setMaxSurge(new io.fabric8.kubernetes.api.model.IntOrString(1));
            ru.setMaxUnavailable(new io.fabric8.kubernetes.api.model.IntOrString(0));
            s.setRollingUpdate(ru);
            d.getSpec().setStrategy(s);
            d.getMetadata().setAnnotations(new java.util.TreeMap<>(java.util.Map.of(DeploymentController.CHANGE_CAUSE, "v1")));
        });
        c.kubeletUntilStable("n1");
        ReplicaSet v1 = c.replicaSets().get(0);
        c.editSpec(Deployment.class, "web", d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("nginx:2");
            d.getMetadata().getAnnotations().put(DeploymentController.CHANGE_CAUSE, "v2");
        });
        // step the kubelet one round at a time and check the bounds at every point
        for (int round = 0; round < 40; round++) {
            List<Pod> live = c.livePods(p -> true);
            long ready = live.stream().filter(Pods::isReady).count();
            assertTrue(live.size() <= 5, "maxSurge 1: at most 5 pods, saw " + live.size());
            assertTrue(ready >= 4, "maxUnavailable 0: at least 4 ready, saw " + ready);
            int changed = c.runAndReady("n1", p -> true) + c.finalizeTerminating();
            c.advance(100);
            if (changed == 0 && c.deploymentNow("web").getStatus().getUpdatedReplicas() == 4
                    && c.pods().size() == 4) {
                break;
            }
        }
        List<ReplicaSet> rss = c.replicaSets();
        assertEquals(2, rss.size());
        ReplicaSet v2 = rss.stream().filter(r -> !r.getMetadata().getName().equals(v1.getMetadata().getName())).findFirst().orElseThrow();
        assertEquals("2", revision(v2));
        assertEquals("v2", v2.getMetadata().getAnnotations().get(DeploymentController.CHANGE_CAUSE));
        assertEquals(4, v2.getSpec().getReplicas());
        assertEquals(0, rss.stream().filter(r -> r.getMetadata().getName().equals(v1.getMetadata().getName())).findFirst()
                .orElseThrow().getSpec().getReplicas());
        assertTrue(c.pods().stream().allMatch(p -> "nginx:2".equals(p.getSpec().getContainers().get(0).getImage())));
        Deployment now = c.deploymentNow("web");
        assertEquals("NewReplicaSetAvailable", cond(now, "Progressing").getReason());
        assertEquals("2", now.getMetadata().getAnnotations().get(DeploymentController.REVISION));

        // kubectl rollout undo: patch the template back to revision 1's (without the hash label)
        c.editSpec(Deployment.class, "web", d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("nginx:1");
            d.getMetadata().getAnnotations().put(DeploymentController.CHANGE_CAUSE, "v1");
        });
        c.kubeletUntilStable("n1");
        rss = c.replicaSets();
        assertEquals(2, rss.size(), "the old ReplicaSet is reused, not a third one");
        ReplicaSet back = rss.stream().filter(r -> r.getMetadata().getName().equals(v1.getMetadata().getName())).findFirst().orElseThrow();
        assertEquals("3", revision(back));
        assertEquals("1", back.getMetadata().getAnnotations().get(DeploymentController.REVISION_HISTORY));
        assertEquals(4, back.getSpec().getReplicas());
        assertTrue(c.pods().stream().allMatch(p -> "nginx:1".equals(p.getSpec().getContainers().get(0).getImage())));
        assertEquals("3", c.deploymentNow("web").getMetadata().getAnnotations().get(DeploymentController.REVISION));
    }

    @Test
    void scalingInTheMiddleOfARolloutIsSharedProportionally() {
        c.deployment("web", 4, "nginx:1", d -> {
            var s = new io.fabric8.kubernetes.api.model.apps.DeploymentStrategy();
            s.setType("RollingUpdate");
            var ru = new io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment();
            ru.setMaxSurge(new io.fabric8.kubernetes.api.model.IntOrString(2));
            ru.setMaxUnavailable(new io.fabric8.kubernetes.api.model.IntOrString(0));
            s.setRollingUpdate(ru);
            d.getSpec().setStrategy(s);
        });
        c.kubeletUntilStable("n1");
        // new image, and the new pods never get ready: the rollout is stuck at 4 old + 2 new
        c.editSpec(Deployment.class, "web", d -> d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("nginx:2"));
        c.advance(1000);
        assertEquals(6, c.replicaSets().stream().mapToInt(r -> r.getSpec().getReplicas()).sum());
        c.editSpec(Deployment.class, "web", d -> d.getSpec().setReplicas(8));
        c.advance(1000);
        List<ReplicaSet> rss = c.replicaSets();
        int total = rss.stream().mapToInt(r -> r.getSpec().getReplicas()).sum();
        assertEquals(10, total, "8 + maxSurge 2");
        for (ReplicaSet r : rss) {
            int size = r.getSpec().getReplicas();
            boolean isNew = r.getSpec().getTemplate().getSpec().getContainers().get(0).getImage().equals("nginx:2");
            assertEquals(isNew ? 3 : 7, size, "old 4->7 (2/3 of +4, plus rounding), new 2->3");
        }
        c.kubeletUntilStable("n1");
        assertEquals(8, c.pods().size());
        assertTrue(c.pods().stream().allMatch(p -> "nginx:2".equals(p.getSpec().getContainers().get(0).getImage())));
    }

    @Test
    void recreateStopsAllOldPodsBeforeStartingNewOnes() {
        c.deployment("db", 3, "pg:1", d -> {
            var s = new io.fabric8.kubernetes.api.model.apps.DeploymentStrategy();
            s.setType("Recreate");
            d.getSpec().setStrategy(s);
        });
        c.kubeletUntilStable("n1");
        c.editSpec(Deployment.class, "db", d -> d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("pg:2"));
        for (int round = 0; round < 30; round++) {
            List<Pod> pods = c.pods();
            boolean anyOld = pods.stream().anyMatch(p -> "pg:1".equals(p.getSpec().getContainers().get(0).getImage()));
            boolean anyNew = pods.stream().anyMatch(p -> "pg:2".equals(p.getSpec().getContainers().get(0).getImage()));
            assertTrue(!(anyOld && anyNew), "old and new pods never coexist");
            c.runAndReady("n1", p -> true);
            c.finalizeTerminating();
            c.advance(100);
        }
        List<Pod> pods = c.pods();
        assertEquals(3, pods.size());
        assertTrue(pods.stream().allMatch(p -> "pg:2".equals(p.getSpec().getContainers().get(0).getImage())));
    }

    @Test
    void restartAnnotationMakesANewReplicaSet() {
        c.deployment("web", 2, "nginx:1", x -> {});
        c.kubeletUntilStable("n1");
        String first = c.replicaSets().get(0).getMetadata().getName();
        c.editSpec(Deployment.class, "web", d -> d.getSpec().getTemplate().getMetadata()
                .setAnnotations(java.util.Map.of("kubectl.kubernetes.io/restartedAt", "2027-01-01T00:00:00Z")));
        c.kubeletUntilStable("n1");
        assertEquals(2, c.replicaSets().size());
        assertTrue(c.pods().stream().noneMatch(p -> p.getMetadata().getName().startsWith(first + "-")));
        assertEquals(2, c.pods().size());
    }

    @Test
    void pausedDeploymentDoesNotRollOut() {
        c.deployment("web", 2, "nginx:1", x -> {});
        c.kubeletUntilStable("n1");
        c.editSpec(Deployment.class, "web", d -> {
            d.getSpec().setPaused(true);
            d.getSpec().setReplicas(3);
        });
        c.kubeletUntilStable("n1");
        assertEquals(3, c.pods().size(), "a paused deployment still scales");
        c.editSpec(Deployment.class, "web", d -> d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("nginx:2"));
        c.kubeletUntilStable("n1");
        assertEquals(1, c.replicaSets().size());
        assertEquals("DeploymentPaused", cond(c.deploymentNow("web"), "Progressing").getReason());
        c.editSpec(Deployment.class, "web", d -> d.getSpec().setPaused(false));
        c.kubeletUntilStable("n1");
        assertEquals(2, c.replicaSets().size());
    }

    @Test
    void progressDeadlineExceededWhenPodsNeverBecomeReady() {
        c.deployment("web", 2, "nginx:1", d -> d.getSpec().setProgressDeadlineSeconds(30));
        c.advance(35_000);
        c.advance(5_000);
        DeploymentCondition p = cond(c.deploymentNow("web"), "Progressing");
        assertEquals("False", p.getStatus());
        assertEquals("ProgressDeadlineExceeded", p.getReason());
        assertNotNull(c.deploymentNow("web").getStatus().getObservedGeneration());
        assertNotEquals(0, c.pods().size());
    }
}
