package io.starling.runtime.agent;

import io.starling.runtime.backend.ContainerBackend;
import io.starling.runtime.containerd.ContainerdBackend;
import io.starling.runtime.containerd.PrivateContainerd;
import io.starling.runtime.containerd.TestImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

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

    @Override
    void afterAgentStopped() {
        if (containerd != null) {
            containerd.close();
        }
    }
}
