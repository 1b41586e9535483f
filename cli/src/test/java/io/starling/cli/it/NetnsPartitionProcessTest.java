package io.starling.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three sites, each in its own network namespace with one super-peer (c's runs no pods; two edge
 * peers do): kubectl inside every site drives its own super-peer; a cut of site c from a+b really
 * separates them (c's kubectl cannot reach a's API), and during the cut site c still replaces the
 * pods of its failed edge peer on its other one, with node timing c's operator set during the cut;
 * a heal reconnects them.
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
            cluster.join("c-super", "c", true, "--api", bed.host("c") + ":6443", "--runtime", "none");
            cluster.join("c-edge1", "c", false, "--runtime", "process");
            cluster.join("c-edge2", "c", false, "--runtime", "process");
            Kubectl a = cluster.kubectl("a", 6443);
            Kubectl c = cluster.kubectl("c", 6443);
            for (Kubectl k : List.of(a, cluster.kubectl("b", 6443), c)) {
                KubectlSliceTest.awaitOutput(k, "c-edge2", 60_000, "get", "nodes");
            }
            a.run("create", "configmap", "before-cut", "--from-literal=k=v").requireSuccess();
            KubectlSliceTest.awaitOutput(c, "before-cut", 30_000, "get", "configmaps");

            Kubectl aFromC = new Kubectl(a.kubeconfig(), null, bed.prefix("c"));
            aFromC.run("get", "nodes").requireSuccess();
            bed.cut(List.of("c"), List.of("a", "b"));
            assertNotEquals(0, aFromC.run("--request-timeout=3s", "get", "nodes").exitCode(),
                    "site c must not reach site a's API during the cut");
            replacesPodsOfAFailedNodeDuringTheCut(cluster, c);
            bed.heal();
            assertEquals(0, aFromC.run("get", "nodes").exitCode(), "site c reaches site a again after the heal");
            KubectlSliceTest.awaitOutput(c, "before-cut", 30_000, "get", "configmaps");
        }
    }

    /** Site c alone: its own settings, its own scheduling, its own node-failure handling. */
    private static void replacesPodsOfAFailedNodeDuringTheCut(LocalCluster cluster, Kubectl c) throws Exception {
        c.run("-n", "kube-system", "create", "configmap", "starling-settings-c",
                "--from-literal=node-grace-period=4s", "--from-literal=pod-eviction-timeout=2s").requireSuccess();
        c.runWithInput(Manifests.deployment("local", 2), "apply", "-f", "-").requireSuccess();
        KubectlSliceTest.awaitOutput(c, "2/2", 90_000, "get", "deployment", "local");
        String placed = c.run("get", "pods", "-l", "app=local", "-o", "jsonpath={.items[*].spec.nodeName}")
                .requireSuccess().stdout();
        String victim = placed.contains("c-edge1") ? "c-edge1" : "c-edge2";
        String survivor = victim.equals("c-edge1") ? "c-edge2" : "c-edge1";
        cluster.peer(victim).kill();
        long killed = System.currentTimeMillis();
        String expected = ("Running " + survivor + "\n").repeat(2);
        String last = "";
        while (System.currentTimeMillis() < killed + 90_000) {
            last = c.run("get", "pods", "-l", "app=local", "-o",
                    "jsonpath={range .items[*]}{.status.phase} {.spec.nodeName}{\"\\n\"}{end}").stdout();
            if (last.equals(expected)) {
                System.out.printf("during the cut, site c replaced the pods of %s on %s %.1f s after it died%n", victim,
                        survivor, (System.currentTimeMillis() - killed) / 1000.0);
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("site c did not replace the pods of " + victim + " during the cut; pods:\n" + last);
    }
}
