package io.starling.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vertical slice with real processes and the real kubectl: a Deployment applied to super-peer
 * A is scheduled in A's site, run by an edge peer's node agent (process runtime), seen Running
 * through super-peer B; its logs come back through B; scale and delete work; a stale
 * resourceVersion is refused with 409 and a malformed body with 400, and the API stays up.
 */
class KubectlSliceTest {
    @TempDir
    Path dir;

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: hello
            spec:
              replicas: 2
              selector:
                matchLabels: {app: hello}
              template:
                metadata:
                  labels: {app: hello}
                spec:
                  containers:
                  - name: main
                    image: busybox
                    command: ["sh", "-c", "while true; do echo hello-from-starling; sleep 1; done"]
                    resources:
                      requests: {cpu: 100m, memory: 16Mi}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
            data:
              mode: edge
            """;

    @Test
    void deploymentAppliedThroughOneSuperPeerRunsAndIsVisibleThroughAnother() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not on PATH");
        try (LocalCluster cluster = new LocalCluster(dir)) {
            cluster.twoSites("2", 1024, "a-edge1");

            Kubectl a = cluster.kubectl(cluster.apiPort("a-super"));
            Kubectl b = cluster.kubectl(cluster.apiPort("b-super"));

            awaitOutput(b, "a-edge1", 60_000, "get", "nodes");
            a.runWithInput(DEPLOYMENT, "apply", "-f", "-").requireSuccess();
            assertTrue(b.run("get", "configmap", "settings", "-o", "jsonpath={.data.mode}").requireSuccess().stdout()
                    .contains("edge"), "what A accepted, B serves");

            // Running, on the edge node of site a, seen through B
            String running = awaitOutput(b, "Running", 90_000, "get", "pods", "-l", "app=hello", "-o",
                    "jsonpath={range .items[*]}{.status.phase} {.spec.nodeName}{\"\\n\"}{end}");
            assertTrue(running.lines().filter(l -> l.startsWith("Running a-edge1")).count() >= 1, running);
            awaitOutput(b, "2/2", 90_000, "get", "deployment", "hello");

            // logs through the other super-peer
            String pod = b.run("get", "pods", "-l", "app=hello", "-o", "jsonpath={.items[0].metadata.name}")
                    .requireSuccess().stdout().trim();
            awaitOutput(b, "hello-from-starling", 30_000, "logs", pod, "--tail=2");

            // scale through B, observed through A
            b.run("scale", "deployment", "hello", "--replicas=3").requireSuccess();
            awaitOutput(a, "3/3", 90_000, "get", "deployment", "hello");

            // a stale resourceVersion is a conflict
            String cm = a.run("get", "configmap", "settings", "-o", "json").requireSuccess().stdout();
            a.run("label", "configmap", "settings", "touched=yes").requireSuccess();
            Kubectl.Result stale = a.runWithInput(cm.replace("\"mode\": \"edge\"", "\"mode\": \"cloud\""), "replace", "-f", "-");
            assertTrue(stale.exitCode() != 0, "stale replace must fail: " + stale.stdout());
            assertTrue(stale.stderr().contains("Conflict"), stale.stderr());

            // a malformed body is a clean 400 and the server keeps serving
            Kubectl.Result bad = a.runWithInput("{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": ",
                    "create", "--validate=false", "-f", "-");
            assertTrue(bad.exitCode() != 0, bad.stdout());
            a.run("get", "nodes").requireSuccess();

            // delete: pods go away
            a.run("delete", "deployment", "hello").requireSuccess();
            awaitOutput(b, "No resources found", 90_000, "get", "pods", "-l", "app=hello");
        }
    }

    /** Repeats a kubectl command until its output contains {@code text}. */
    static String awaitOutput(Kubectl k, String text, long timeoutMillis, String... args) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            Kubectl.Result r = k.run(args);
            last = r.stdout() + r.stderr();
            if (last.contains(text)) {
                return last;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("kubectl " + String.join(" ", args) + " never showed '" + text + "'; last:\n" + last);
    }
}
