package io.starling.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two sites as real processes (a super-peer and two edge peers each, process runtime): a
 * Deployment created through site b's super-peer is homed in b and runs only on b's nodes; it
 * scales up and down; when an edge peer of b dies, its pods are replaced on the other node of b.
 */
class SiteSchedulingProcessTest {
    @TempDir
    Path dir;

    private static final String DEPLOYMENT = Manifests.deployment("web", 6);

    @Test
    void podsLandInTheSiteThatReceivedThemScaleAndAreReplacedWhenAnEdgePeerDies() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not on PATH");
        try (LocalCluster cluster = new LocalCluster(dir)) {
            cluster.twoSites("4", 2048, "a-edge1", "a-edge2", "b-edge1", "b-edge2");
            Kubectl b = cluster.kubectl(cluster.apiPort("b-super"));
            KubectlSliceTest.awaitOutput(b, "b-edge2", 60_000, "get", "nodes");

            b.runWithInput(DEPLOYMENT, "apply", "-f", "-").requireSuccess();
            KubectlSliceTest.awaitOutput(b, "6/6", 120_000, "get", "deployment", "web");
            assertEquals(List.of("b"), sitesOfRunningPods(b), "pods created through site b run in site b");

            b.run("scale", "deployment", "web", "--replicas=10").requireSuccess();
            KubectlSliceTest.awaitOutput(b, "10/10", 120_000, "get", "deployment", "web");
            b.run("scale", "deployment", "web", "--replicas=2").requireSuccess();
            awaitPodCount(b, 2, 120_000);

            b.run("scale", "deployment", "web", "--replicas=4").requireSuccess();
            KubectlSliceTest.awaitOutput(b, "4/4", 120_000, "get", "deployment", "web");
            cluster.peer("b-edge1").kill();
            long killed = System.currentTimeMillis();
            long deadline = killed + 120_000;
            while (System.currentTimeMillis() < deadline) {
                String out = b.run("get", "pods", "-l", "app=web", "-o",
                        "jsonpath={range .items[*]}{.status.phase} {.spec.nodeName}{\"\\n\"}{end}").stdout();
                long onSurvivor = out.lines().filter(l -> l.equals("Running b-edge2")).count();
                if (onSurvivor == 4 && out.lines().count() == 4) {
                    System.out.printf("pods of the dead edge peer replaced after %.1f s%n",
                            (System.currentTimeMillis() - killed) / 1000.0);
                    return;
                }
                Thread.sleep(200); // the figure is reported: poll finely (a kubectl call takes a few 100 ms itself)
            }
            throw new AssertionError("pods were not replaced on b-edge2: "
                    + b.run("get", "pods", "-o", "wide").stdout());
        }
    }

    private static final String SPREAD = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: spread
            spec:
              replicas: 2
              selector:
                matchLabels: {app: spread}
              template:
                metadata:
                  labels: {app: spread}
                spec:
                  affinity:
                    podAntiAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                      - topologyKey: starling.io/site
                        labelSelector:
                          matchLabels: {app: spread}
                  containers:
                  - name: main
                    image: busybox
                    command: ["sh", "-c", "while true; do sleep 1; done"]
                    resources:
                      requests: {cpu: 100m, memory: 16Mi}
            """;

    @Test
    void siteAntiAffinityPutsOneReplicaInEachSite() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not on PATH");
        try (LocalCluster cluster = new LocalCluster(dir)) {
            cluster.twoSites("4", 2048, "a-edge1", "b-edge1");
            Kubectl a = cluster.kubectl(cluster.apiPort("a-super"));
            KubectlSliceTest.awaitOutput(a, "b-edge1", 60_000, "get", "nodes");
            a.runWithInput(SPREAD, "apply", "-f", "-").requireSuccess();
            KubectlSliceTest.awaitOutput(a, "2/2", 120_000, "get", "deployment", "spread");
            String nodes = a.run("get", "pods", "-l", "app=spread", "-o",
                    "jsonpath={range .items[*]}{.spec.nodeName}{\"\\n\"}{end}").requireSuccess().stdout();
            assertEquals(List.of("a-edge1", "b-edge1"), nodes.lines().filter(l -> !l.isBlank()).sorted().toList(),
                    "one replica per site: the second spills to site b");
        }
    }

    private static List<String> sitesOfRunningPods(Kubectl k) throws Exception {
        String nodes = k.run("get", "pods", "-l", "app=web", "-o", "jsonpath={range .items[*]}{.spec.nodeName}{\"\\n\"}{end}")
                .requireSuccess().stdout();
        return nodes.lines().filter(l -> !l.isBlank()).map(n -> n.substring(0, n.indexOf('-'))).distinct().sorted().toList();
    }

    private static void awaitPodCount(Kubectl k, int count, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        String out = "";
        while (System.currentTimeMillis() < deadline) {
            out = k.run("get", "pods", "-l", "app=web", "-o", "name").stdout();
            if (out.lines().filter(l -> !l.isBlank()).count() == count) {
                return;
            }
            Thread.sleep(1000);
        }
        assertTrue(false, "expected " + count + " pods, got:\n" + out);
    }
}
