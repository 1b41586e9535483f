package io.starling.cli.it;

import static io.starling.cli.it.KubectlSliceTest.awaitOutput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.starling.runtime.containerd.PrivateContainerd;
import io.starling.runtime.containerd.TestImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No registry at the edge: an operator builds an image tarball, sends it to one edge peer with
 * {@code starling image import}, and a pod naming that image with imagePullPolicy Never runs there
 * on real containerd. A peer on the process runtime refuses an import with a one-line reason.
 */
class ImageImportProcessTest {
    @TempDir
    Path dir;

    @Test
    void importedImageRunsOnThatPeersContainerd() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not on PATH");
        assumeTrue(PrivateContainerd.available() && Files.isRegularFile(TestImage.DEFAULT_BUSYBOX),
                "containerd or busybox-static not installed (apt-get install -y containerd runc busybox-static)");
        try (LocalCluster cluster = new LocalCluster(dir)) {
            int api = LocalCluster.freePort();
            cluster.init("a-super", "a", "--runtime", "none", "--api", "127.0.0.1:" + api);
            cluster.join("a-edge1", "a", false, "--runtime", "containerd", "--cpu", "2", "--memory", "1024");
            cluster.join("a-edge2", "a", false, "--runtime", "process", "--cpu", "2", "--memory", "1024");
            String admin = cluster.adminCredentials().toString();

            Path tarball = dir.resolve("edge-tool.tar");
            LocalCluster.Result built = cluster.cli("image", "build", "--name", "example.org/edge-tool:1.0",
                    "--command", "sh", "--out", tarball.toString());
            assertEquals(0, built.exitCode(), built.output());

            // another edge peer's certificate is of the same CA but not an operator's: refused, nothing imported
            String peerCredentials = cluster.dataDir("a-edge2").resolve("credentials").toString();
            LocalCluster.Result intruder = cluster.cli("image", "import", tarball.toString(),
                    "--peer", cluster.address("a-edge1"), "--credentials", peerCredentials);
            assertEquals(1, intruder.exitCode(), intruder.output());
            assertTrue(intruder.output().contains("operator credentials required: this certificate's role is edge"),
                    intruder.output());

            LocalCluster.Result imported = cluster.cli("image", "import", tarball.toString(),
                    "--peer", cluster.address("a-edge1"), "--credentials", admin);
            assertEquals(0, imported.exitCode(), imported.output());
            assertTrue(imported.output().contains("imported example.org/edge-tool:1.0 into"), imported.output());

            LocalCluster.Result refused = cluster.cli("image", "import", tarball.toString(),
                    "--peer", cluster.address("a-edge2"), "--credentials", admin);
            assertEquals(1, refused.exitCode(), refused.output());
            assertTrue(refused.output().contains("the process runtime does not use images"), refused.output());

            Kubectl k = cluster.kubectl(api);
            awaitOutput(k, "a-edge1", 60_000, "get", "nodes");
            k.runWithInput("""
                    apiVersion: v1
                    kind: Pod
                    metadata:
                      name: tool
                    spec:
                      nodeName: a-edge1
                      containers:
                      - name: main
                        image: example.org/edge-tool:1.0
                        imagePullPolicy: Never
                        command: ["sh", "-c", "echo tool-says-hi; sleep 3600"]
                    """, "apply", "-f", "-").requireSuccess();
            awaitOutput(k, "Running", 90_000, "get", "pod", "tool", "-o", "jsonpath={.status.phase}");
            String id = k.run("get", "pod", "tool", "-o", "jsonpath={.status.containerStatuses[0].containerID}")
                    .requireSuccess().stdout();
            assertTrue(id.startsWith("containerd://"), id);
            awaitOutput(k, "tool-says-hi", 30_000, "logs", "tool");
        }
    }
}
