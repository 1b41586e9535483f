package io.starling.runtime.agent;

import io.starling.runtime.backend.BackendException;
import io.starling.runtime.backend.ContainerBackend;
import io.starling.runtime.containerd.ContainerdBackend;
import io.starling.runtime.containerd.PrivateContainerd;
import io.starling.runtime.containerd.TestImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The agent scenario on real containerd: a private containerd (own config, root, state and socket
 * in a temp dir) with the busybox test image imported. Skipped, saying why, only when containerd
 * is not installed.
 */
class ContainerdBackendScenarioTest extends AgentScenarioContract {
    private PrivateContainerd containerd;

    @Override
    ContainerBackend newBackend(Path dir) throws Exception {
        if (containerd == null) {
            if (!PrivateContainerd.available() || !Files.isRegularFile(TestImage.DEFAULT_BUSYBOX)) {
                String why = "containerd/ctr or busybox-static not installed (apt-get install -y containerd runc busybox-static)";
                System.err.println("SKIPPED containerd scenario: " + why);
                Assumptions.abort(why);
            }
            containerd = PrivateContainerd.start(workDir().resolve("containerd"), TestImage.DEFAULT_BUSYBOX, 30_000);
        }
        return new ContainerdBackend(containerd.socket(), 60_000);
    }

    @Test
    void missingImageWithPullPolicyNeverIsErrImageNeverPull() throws Exception {
        Container c = new ContainerBuilder(Pods.shell("main", "starling.io/not-imported:1.0", "sleep 1000"))
                .withImagePullPolicy("Never").build();
        h.create(Pods.pod("default", "no-image", NODE, c));
        Pod p = h.await("default", "no-image", x -> Pods.status(x, "main").getState().getWaiting() != null
                && "ErrImageNeverPull".equals(Pods.status(x, "main").getState().getWaiting().getReason()), 20_000, "ErrImageNeverPull");
        assertEquals("Pending", p.getStatus().getPhase());
        deleteAndVerifyCleanup("default", "no-image");
    }

    @Test
    void importedImageRunsWithPullPolicyNever() throws Exception {
        String name = "example.org/imported-tool:2.1";
        Path tarball = TestImage.build(TestImage.DEFAULT_BUSYBOX, workDir().resolve("tool.tar"), name, "sh");
        assertEquals(List.of(name), backend.importImage(tarball));
        assertTrue(backend.imageStatus(name).isPresent(), "imported image is known to CRI");
        Container c = new ContainerBuilder(Pods.shell("main", name, "echo from-imported-image; sleep 1000"))
                .withImagePullPolicy("Never").build();
        h.create(Pods.pod("default", "imported", NODE, c));
        h.await("default", "imported", Pods::runningReady, 20_000, "Running/Ready");
        String logs = awaitBody("http://127.0.0.1:" + h.agent.httpPort() + "/containerLogs/default/imported/main",
                "from-imported-image");
        assertTrue(logs.contains("from-imported-image"), logs);
        deleteAndVerifyCleanup("default", "imported");
    }

    @Test
    void garbageTarballIsRefusedWithCtrMessage() throws Exception {
        Path junk = Files.writeString(workDir().resolve("junk.tar"), "not a tar");
        BackendException e = assertThrows(BackendException.class, () -> backend.importImage(junk));
        assertTrue(e.getMessage().startsWith("image import failed"), e.getMessage());
    }

    @Test
    void resourceLimitsBecomeCgroupLimits() throws Exception {
        Container c = new ContainerBuilder(Pods.shell("main", IMAGE,
                "cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/memory.max 2>/dev/null; sleep 1000"))
                .withNewResources().addToLimits("memory", new Quantity("64Mi")).addToLimits("cpu", new Quantity("200m")).endResources()
                .build();
        h.create(Pods.pod("default", "limited", NODE, c));
        h.await("default", "limited", Pods::runningReady, 20_000, "Running/Ready");
        String logs = awaitBody("http://127.0.0.1:" + h.agent.httpPort() + "/containerLogs/default/limited/main", "6");
        assertTrue(logs.contains(Long.toString(64L * 1024 * 1024)), logs);
        deleteAndVerifyCleanup("default", "limited");
    }

    @Override
    boolean execSupportsStdin() {
        return false;
    }

    @Override
    void afterAgentStopped() {
        if (containerd != null) {
            containerd.close();
        }
    }
}
