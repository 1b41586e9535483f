package io.starling.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl exec} with the real kubectl (WebSocket v5.channel.k8s.io) through the super-peer
 * of the OTHER site than the pod's node: the gateway of site b relays to the node agent of an edge
 * peer in site a (process runtime). Output and errors arrive on their streams, the exit code is
 * kubectl's exit code, and stdin reaches the command with its EOF ({@code -i}); a kubectl restricted
 * to SPDY gets a clear error instead of a hang.
 */
class ExecProcessTest {
    @TempDir
    Path dir;

    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: shell
            spec:
              containers:
              - name: main
                image: busybox
                env: [{name: GREETING, value: from-the-pod-env}]
                command: ["sh", "-c", "while true; do sleep 1; done"]
            """;

    @Test
    void execThroughTheOtherSitesSuperPeer() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not on PATH");
        try (LocalCluster cluster = new LocalCluster(dir)) {
            cluster.twoSites("2", 1024, "a-edge1");
            Kubectl a = cluster.kubectl(cluster.apiPort("a-super"));
            Kubectl b = cluster.kubectl(cluster.apiPort("b-super"));

            KubectlSliceTest.awaitOutput(b, "a-edge1", 60_000, "get", "nodes");
            a.runWithInput(POD, "apply", "-f", "-").requireSuccess();
            KubectlSliceTest.awaitOutput(b, "Running a-edge1", 90_000, "get", "pod", "shell", "-o",
                    "jsonpath={.status.phase} {.spec.nodeName}");

            // The agent may need a relist to see the new container as running: retry until the exec reaches it.
            Kubectl.Result r = awaitExec(b, null, "exec", "shell", "--", "sh", "-c", "echo hi; echo $GREETING; echo err >&2; exit 3");
            assertEquals(3, r.exitCode(), r.stderr());
            assertEquals("hi\nfrom-the-pod-env\n", r.stdout(), "stdout in order, in the container's env");
            assertTrue(r.stderr().contains("err"), r.stderr());

            // the relay went over mutual TLS: the agent's own port answers nobody without a super-peer certificate
            String port = b.run("get", "node", "a-edge1", "-o", "jsonpath={.status.daemonEndpoints.kubeletEndpoint.Port}")
                    .requireSuccess().stdout().trim();
            String peerId = b.run("get", "node", "a-edge1", "-o", "jsonpath={.metadata.annotations.starling\\.io/peer-id}")
                    .requireSuccess().stdout().trim();
            assertTrue(peerId.matches("[0-9a-f]{40}"), "the Node names its peer: " + peerId);
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest direct = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/containerLogs/default/shell/main"))
                    .timeout(Duration.ofSeconds(10)).build();
            assertThrows(IOException.class, () -> plain.send(direct, HttpResponse.BodyHandlers.ofString()),
                    "plain HTTP to the node agent must fail");

            Kubectl.Result ok = b.run("exec", "shell", "-c", "main", "--", "true");
            assertEquals(0, ok.exitCode(), ok.stderr());

            Kubectl.Result cat = b.runWithInput("data\nmore data\n", "exec", "-i", "shell", "--", "cat");
            assertEquals(0, cat.exitCode(), cat.stderr());
            assertEquals("data\nmore data\n", cat.stdout());

            Kubectl.Result missing = b.run("exec", "shell", "--", "/no/such/binary");
            assertTrue(missing.exitCode() != 0, missing.stdout());

            Kubectl.Result noPod = b.run("exec", "ghost", "--", "true");
            assertTrue(noPod.exitCode() != 0 && noPod.stderr().contains("not found"), noPod.stderr());

            // a kubectl restricted to SPDY gets a clear refusal, not a hang
            ProcessBuilder spdy = new ProcessBuilder("kubectl", "--kubeconfig", b.kubeconfig().toString(), "--request-timeout=20s",
                    "exec", "shell", "--", "true").redirectErrorStream(true);
            spdy.environment().remove("KUBECONFIG");
            spdy.environment().put("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "false");
            Process p = spdy.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "kubectl with SPDY must not hang");
            assertTrue(p.exitValue() != 0 && out.contains("SPDY is not supported"), out);
        }
    }

    private static Kubectl.Result awaitExec(Kubectl k, String stdin, String... args) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        Kubectl.Result r = k.runWithInput(stdin, args);
        while (r.stderr().contains("is not running on this node") && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
            r = k.runWithInput(stdin, args);
        }
        return r;
    }
}
