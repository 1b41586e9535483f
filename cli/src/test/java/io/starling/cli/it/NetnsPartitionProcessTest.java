package io.starling.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three sites, each in its own network namespace with one super-peer (which also runs pods):
 * kubectl inside every site drives its own super-peer; a cut of site c from a+b really separates
 * them (c's kubectl cannot reach a's API) and a heal reconnects them.
 */
class NetnsPartitionProcessTest {
    @TempDir
    Path dir;

    @Test
    void sitesInNamespacesFormOneClusterAndCutsSeparateThem() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not on PATH");
        assumeTrue(NetnsTestbed.available(), "needs root, iproute2 and nftables for network namespaces");
        try (NetnsTestbed bed = NetnsTestbed.create("a", "b", "c");
             LocalCluster cluster = new LocalCluster(dir, bed)) {
            cluster.init("a-super", "a", "--api", bed.host("a") + ":6443");
            cluster.join("b-super", "b", true, "--api", bed.host("b") + ":6443");
            cluster.join("c-super", "c", true, "--api", bed.host("c") + ":6443");
            Kubectl a = cluster.kubectl("a", 6443);
            Kubectl c = cluster.kubectl("c", 6443);
            for (Kubectl k : List.of(a, cluster.kubectl("b", 6443), c)) {
                KubectlSliceTest.awaitOutput(k, "c-super", 60_000, "get", "nodes");
            }
            a.run("create", "configmap", "before-cut", "--from-literal=k=v").requireSuccess();
            KubectlSliceTest.awaitOutput(c, "before-cut", 30_000, "get", "configmaps");

            Kubectl aFromC = new Kubectl(a.kubeconfig(), null, bed.prefix("c"));
            aFromC.run("get", "nodes").requireSuccess();
            bed.cut(List.of("c"), List.of("a", "b"));
            assertNotEquals(0, aFromC.run("--request-timeout=3s", "get", "nodes").exitCode(),
                    "site c must not reach site a's API during the cut");
            bed.heal();
            assertEquals(0, aFromC.run("get", "nodes").exitCode(), "site c reaches site a again after the heal");
            KubectlSliceTest.awaitOutput(c, "before-cut", 30_000, "get", "configmaps");
        }
    }
}
