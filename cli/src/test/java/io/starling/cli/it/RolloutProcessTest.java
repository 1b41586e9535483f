package io.starling.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `kubectl rollout` against real peer processes: a rolling update of a Deployment's template
 * replaces every pod (status reports progress until done), history lists both revisions, undo
 * brings the first template back, and restart rolls the pods again.
 */
class RolloutProcessTest {
    @TempDir
    Path dir;

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 3
              strategy:
                rollingUpdate: {maxSurge: 1, maxUnavailable: 0}
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                  - name: main
                    image: busybox
                    env: [{name: VERSION, value: v1}]
                    command: ["sh", "-c", "echo version $VERSION; while true; do sleep 1; done"]
                    resources:
                      requests: {cpu: 100m, memory: 16Mi}
            """;

    @Test
    void rollingUpdateHistoryUndoAndRestart() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not on PATH");
        try (LocalCluster cluster = new LocalCluster(dir)) {
            int api = LocalCluster.freePort();
            cluster.init("a-super", "a", "--runtime", "none", "--api", "127.0.0.1:" + api);
            cluster.join("a-edge", "a", false, "--runtime", "process", "--cpu", "4");
            Kubectl k = cluster.kubectl(api);
            KubectlSliceTest.awaitOutput(k, "a-edge", 60_000, "get", "nodes");
            k.runWithInput(DEPLOYMENT, "apply", "-f", "-").requireSuccess();
            k.run("rollout", "status", "deployment/web", "--timeout=120s").requireSuccess();
            assertEquals(List.of("v1"), versionsOfPods(k));

            k.run("set", "env", "deployment/web", "VERSION=v2").requireSuccess();
            String status = k.run("rollout", "status", "deployment/web", "--timeout=120s").requireSuccess().stdout();
            assertTrue(status.contains("successfully rolled out"), status);
            awaitVersions(k, List.of("v2"));
            String history = k.run("rollout", "history", "deployment/web").requireSuccess().stdout();
            assertTrue(history.lines().anyMatch(l -> l.startsWith("1 ")) && history.lines().anyMatch(l -> l.startsWith("2 ")),
                    "two revisions: " + history);

            k.run("rollout", "undo", "deployment/web").requireSuccess();
            k.run("rollout", "status", "deployment/web", "--timeout=120s").requireSuccess();
            awaitVersions(k, List.of("v1"));

            List<String> before = podNames(k);
            k.run("rollout", "restart", "deployment/web").requireSuccess();
            k.run("rollout", "status", "deployment/web", "--timeout=120s").requireSuccess();
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline && podNames(k).stream().anyMatch(before::contains)) {
                Thread.sleep(1000);
            }
            List<String> after = podNames(k);
            assertEquals(3, after.size(), "3 pods after the restart: " + after);
            assertTrue(after.stream().noneMatch(before::contains), "restart replaced every pod: " + before + " -> " + after);
        }
    }

    private static List<String> podNames(Kubectl k) throws Exception {
        return k.run("get", "pods", "-l", "app=web", "-o", "jsonpath={range .items[*]}{.metadata.name}{\"\\n\"}{end}")
                .requireSuccess().stdout().lines().filter(l -> !l.isBlank()).sorted().toList();
    }

    /** The distinct VERSION env values of the web pods that are not terminating. */
    private static List<String> versionsOfPods(Kubectl k) throws Exception {
        return k.run("get", "pods", "-l", "app=web", "-o",
                        "jsonpath={range .items[*]}{.metadata.deletionTimestamp}|{.spec.containers[0].env[0].value}{\"\\n\"}{end}")
                .requireSuccess().stdout().lines().filter(l -> l.startsWith("|")).map(l -> l.substring(1))
                .distinct().sorted().toList();
    }

    private static void awaitVersions(Kubectl k, List<String> expected) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        List<String> seen = List.of();
        while (System.currentTimeMillis() < deadline) {
            seen = versionsOfPods(k);
            if (seen.equals(expected) && podNames(k).size() == 3) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("pods run versions " + seen + ", expected " + expected);
    }
}
