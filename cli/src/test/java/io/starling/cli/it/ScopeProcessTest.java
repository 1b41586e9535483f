package io.starling.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scopes with real peer processes and the real kubectl: {@code starling scope grant} prints a
 * kubeconfig (client certificate, or bearer token) that works against BOTH super-peers and shows
 * only the user's scope; a scope shared with one site runs its pods there only; a revoked token is
 * refused with 401 by both.
 */
class ScopeProcessTest {
    @TempDir
    Path dir;

    private static final String DEPLOYMENT = Manifests.deployment("web", 2);

    @Test
    void grantedUsersSeeOnlyTheirScopeOnEverySuperPeerAndRevokedTokensAreRefused() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not on PATH");
        try (LocalCluster cluster = new LocalCluster(dir)) {
            cluster.twoSites("2", 512, "a-edge1", "b-edge1");
            int apiA = cluster.apiPort("a-super");
            int apiB = cluster.apiPort("b-super");
            List<String> target = List.of("--server", "127.0.0.1:" + apiA, "--server", "127.0.0.1:" + apiB,
                    "--credentials", cluster.adminCredentials().toString());
            Kubectl admin = cluster.kubectl(apiA);

            ok(cluster, List.of("scope", "create", "team-a", "--namespace", "ta"), target);
            ok(cluster, List.of("scope", "create", "team-b", "--namespace", "tb"), target);
            Kubectl alice = kubeconfig(cluster, "alice", ok(cluster, List.of("scope", "grant", "team-a", "--user", "alice", "--role", "owner"), target));
            Kubectl bob = kubeconfig(cluster, "bob", ok(cluster, List.of("scope", "grant", "team-b", "--user", "bob", "--token"), target));
            admin.run("create", "configmap", "cm-a", "-n", "ta", "--from-literal=k=a").requireSuccess();
            admin.run("create", "configmap", "cm-b", "-n", "tb", "--from-literal=k=b").requireSuccess();
            String list = ok(cluster, List.of("scope", "list"), target);
            assertTrue(list.contains("team-a") && list.contains("alice(owner)") && list.contains("bob(member)"), list);

            for (int port : List.of(apiA, apiB)) {
                Kubectl a = alice.withContext("starling-127.0.0.1-" + port);
                Kubectl b = bob.withContext("starling-127.0.0.1-" + port);
                KubectlSliceTest.awaitOutput(a, "namespace/ta", 30_000, "get", "ns", "-o", "name");
                assertEquals("namespace/ta", a.run("get", "ns", "-o", "name").requireSuccess().stdout().strip());
                String cms = a.run("get", "configmaps", "-A", "--no-headers").requireSuccess().stdout();
                assertTrue(cms.contains("cm-a") && !cms.contains("cm-b") && !cms.contains("tb"), cms);
                Kubectl.Result denied = a.run("get", "configmap", "cm-b", "-n", "tb");
                assertNotEquals(0, denied.exitCode());
                assertTrue(denied.stderr().contains("Forbidden") || denied.stderr().contains("forbidden"), denied.stderr());
                Kubectl.Result del = a.run("delete", "configmap", "cm-b", "-n", "tb");
                assertNotEquals(0, del.exitCode(), del.stdout());
                KubectlSliceTest.awaitOutput(b, "cm-b", 30_000, "get", "configmaps", "-n", "tb");
                assertNotEquals(0, b.run("get", "configmap", "cm-a", "-n", "ta").exitCode());
            }
            admin.run("get", "configmap", "cm-b", "-n", "tb").requireSuccess();

            // team-a is shared with site b only: a Deployment created through A's super-peer runs in site b
            ok(cluster, List.of("scope", "share", "team-a", "--site", "b"), target);
            Kubectl a = alice.withContext("starling-127.0.0.1-" + apiA);
            KubectlSliceTest.awaitOutput(a, "a-edge1", 60_000, "get", "nodes");
            KubectlSliceTest.awaitOutput(a, "b-edge1", 60_000, "get", "nodes");
            Thread.sleep(1500); // let super-peer A's scope cache see the share (it then constrains every write)
            a.runWithInput(DEPLOYMENT, "apply", "-n", "ta", "-f", "-").requireSuccess();
            String placed = KubectlSliceTest.awaitOutput(a, "Running", 90_000, "get", "pods", "-n", "ta", "-o",
                    "jsonpath={range .items[*]}{.status.phase} {.spec.nodeName}{\"\\n\"}{end}");
            assertTrue(placed.lines().filter(l -> l.startsWith("Running")).allMatch(l -> l.equals("Running b-edge1")), placed);

            ok(cluster, List.of("scope", "revoke", "team-b", "--user", "bob"), target);
            for (int port : List.of(apiA, apiB)) {
                Kubectl b = bob.withContext("starling-127.0.0.1-" + port);
                KubectlSliceTest.awaitOutput(b, "Unauthorized", 30_000, "get", "configmaps", "-n", "tb");
            }

            LocalCluster.Result bad = cluster.cli(cat(List.of("scope", "grant", "team-a", "--user", "carol", "--role", "boss"), target));
            assertNotEquals(0, bad.exitCode());
            assertTrue(bad.output().contains("--role must be owner or member"), bad.output());
            assertFalse(bad.output().contains("\tat "), "one-line error, no stack trace: " + bad.output());
        }
    }

    private static String[] cat(List<String> head, List<String> tail) {
        return java.util.stream.Stream.concat(head.stream(), tail.stream()).toArray(String[]::new);
    }

    private static String ok(LocalCluster cluster, List<String> command, List<String> target) throws Exception {
        return ok(cluster, cat(command, target));
    }

    private static String ok(LocalCluster cluster, String... args) throws Exception {
        LocalCluster.Result r = cluster.cli(args);
        assertEquals(0, r.exitCode(), "starling " + String.join(" ", args) + ": " + r.output());
        return r.output();
    }

    private Kubectl kubeconfig(LocalCluster cluster, String user, String output) throws Exception {
        Path file = dir.resolve(user + ".kubeconfig");
        Files.writeString(file, output.substring(output.indexOf("apiVersion:")), StandardCharsets.UTF_8);
        return new Kubectl(file, null);
    }
}
