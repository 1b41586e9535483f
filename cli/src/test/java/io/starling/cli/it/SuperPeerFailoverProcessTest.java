package io.starling.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A site with two super-peers, each in the site's network namespace: when the super-peer its edge
 * peer is attached to dies, the edge peer fails over to the other one, kubectl against the
 * survivor keeps working (reads, writes, scaling, the site's scheduler and controllers move over)
 * and nothing acknowledged before the crash is lost.
 */
class SuperPeerFailoverProcessTest {
    @TempDir
    Path dir;

    private static final String DEPLOYMENT = Manifests.deployment("web", 2);

    @Test
    void edgePeerAndKubectlSurviveTheLossOfOneOfTwoSuperPeers() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not on PATH");
        assumeTrue(NetnsTestbed.available(), "needs root, iproute2 and nftables for network namespaces");
        try (NetnsTestbed bed = NetnsTestbed.create("a", "b");
             LocalCluster cluster = new LocalCluster(dir, bed)) {
            cluster.init("a1-super", "a", "--runtime", "none", "--api", bed.host("a") + ":6443");
            cluster.join("a2-super", "a", true, "--runtime", "none", "--api", bed.host("a") + ":6444");
            cluster.join("b-super", "b", true, "--runtime", "none", "--api", bed.host("b") + ":6443");
            PeerProcess edge = cluster.join("a-edge", "a", false, "--runtime", "process", "--cpu", "4");
            String attached = edge.awaitOutput("attached to super-peer (\\S+)", 10_000);
            String victim = attached.equals(cluster.address("a1-super")) ? "a1-super" : "a2-super";
            Kubectl survivor = cluster.kubectl("a", victim.equals("a1-super") ? 6444 : 6443);
            Kubectl b = cluster.kubectl("b", 6443);

            KubectlSliceTest.awaitOutput(survivor, "a-edge", 60_000, "get", "nodes");
            survivor.run("create", "configmap", "settings", "--from-literal=mode=edge").requireSuccess();
            survivor.runWithInput(DEPLOYMENT, "apply", "-f", "-").requireSuccess();
            KubectlSliceTest.awaitOutput(survivor, "2/2", 120_000, "get", "deployment", "web");

            cluster.peer(victim).kill();
            long killed = System.currentTimeMillis();
            survivor.run("get", "configmap", "settings").requireSuccess();
            survivor.run("create", "configmap", "after-crash", "--from-literal=k=v").requireSuccess();
            survivor.run("scale", "deployment", "web", "--replicas=3").requireSuccess();
            KubectlSliceTest.awaitOutput(survivor, "3/3", 120_000, "get", "deployment", "web");
            System.out.printf("scaled to 3/3 on the failed-over edge peer %.1f s after the super-peer crash%n",
                    (System.currentTimeMillis() - killed) / 1000.0);
            String nodes = survivor.run("get", "nodes", "a-edge", "--no-headers").requireSuccess().stdout();
            assertTrue(nodes.contains(" Ready"), "the edge peer's node must stay Ready after fail-over: " + nodes);
            for (Kubectl k : List.of(survivor, b)) {
                KubectlSliceTest.awaitOutput(k, "after-crash", 30_000, "get", "configmaps");
                assertEquals("edge", k.run("get", "configmap", "settings", "-o", "jsonpath={.data.mode}")
                        .requireSuccess().stdout().strip(), "the ConfigMap written before the crash is intact");
            }
        }
    }
}
