package io.starling.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenant isolation before, during and after a partition (two sites in network namespaces): a
 * scope-A user, with kubectl against each super-peer from inside its site, never sees or touches
 * scope B's objects, also those written on the other side during the cut. A token revoked on one
 * side during the cut is refused there at once and on the other side once the heal delivers the
 * revocation.
 */
class ScopePartitionProcessTest {
    @TempDir
    Path dir;

    @Test
    void scopeMembersStayIsolatedOnBothSidesOfACutAndARevocationReachesEverySuperPeer() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not on PATH");
        assumeTrue(NetnsTestbed.available(), "needs root, iproute2 and nftables for network namespaces");
        try (NetnsTestbed bed = NetnsTestbed.create("a", "b");
             LocalCluster cluster = new LocalCluster(dir, bed)) {
            cluster.init("a-super", "a", "--runtime", "none", "--api", bed.host("a") + ":6443");
            cluster.join("b-super", "b", true, "--runtime", "none", "--api", bed.host("b") + ":6443");
            String apiA = bed.host("a") + ":6443";
            String apiB = bed.host("b") + ":6443";
            List<String> both = List.of("--server", apiA, "--server", apiB, "--credentials", cluster.adminCredentials().toString());
            ok(cluster, "a", "scope", "create", "team-a", "--namespace", "ta", both);
            ok(cluster, "a", "scope", "create", "team-b", "--namespace", "tb", both);
            Path alice = kubeconfig("alice", ok(cluster, "a", "scope", "grant", "team-a", "--user", "alice", both));
            Path bob = kubeconfig("bob", ok(cluster, "a", "scope", "grant", "team-b", "--user", "bob", "--token", both));
            Kubectl adminA = cluster.kubectl("a", 6443);
            Kubectl adminB = cluster.kubectl("b", 6443);
            adminA.run("create", "configmap", "cm-a", "-n", "ta", "--from-literal=k=a").requireSuccess();
            adminA.run("create", "configmap", "cm-b", "-n", "tb", "--from-literal=k=b").requireSuccess();
            Kubectl aliceA = new Kubectl(alice, "starling-" + apiA.replace(':', '-'), bed.prefix("a"));
            Kubectl aliceB = new Kubectl(alice, "starling-" + apiB.replace(':', '-'), bed.prefix("b"));
            Kubectl bobA = new Kubectl(bob, "starling-" + apiA.replace(':', '-'), bed.prefix("a"));
            Kubectl bobB = new Kubectl(bob, "starling-" + apiB.replace(':', '-'), bed.prefix("b"));
            KubectlSliceTest.awaitOutput(aliceB, "cm-a", 30_000, "get", "configmaps", "-n", "ta");
            KubectlSliceTest.awaitOutput(bobB, "cm-b", 30_000, "get", "configmaps", "-n", "tb");
            assertIsolated("before the cut", aliceA, aliceB);

            bed.cut(List.of("a"), List.of("b"));
            adminB.run("create", "configmap", "cm-b2", "-n", "tb", "--from-literal=k=b2").requireSuccess();
            adminA.run("create", "configmap", "cm-a2", "-n", "ta", "--from-literal=k=a2").requireSuccess();
            KubectlSliceTest.awaitOutput(aliceA, "cm-a2", 10_000, "get", "configmaps", "-n", "ta");
            assertIsolated("during the cut", aliceA, aliceB);
            assertNotEquals(0, aliceB.run("get", "configmap", "cm-b2", "-n", "tb").exitCode(),
                    "a write of scope B during the cut is not readable by a scope-A user");
            ok(cluster, "a", "scope", "revoke", "team-b", "--user", "bob", List.of("--server", apiA,
                    "--credentials", cluster.adminCredentials().toString()));
            KubectlSliceTest.awaitOutput(bobA, "Unauthorized", 30_000, "get", "configmaps", "-n", "tb");
            bobB.run("get", "configmaps", "-n", "tb").requireSuccess(); // b has not heard of the revocation yet

            bed.heal();
            KubectlSliceTest.awaitOutput(bobB, "Unauthorized", 60_000, "get", "configmaps", "-n", "tb");
            KubectlSliceTest.awaitOutput(aliceB, "cm-a2", 60_000, "get", "configmaps", "-n", "ta");
            KubectlSliceTest.awaitOutput(adminA, "cm-b2", 60_000, "get", "configmaps", "-n", "tb");
            assertIsolated("after the heal", aliceA, aliceB);
        }
    }

    /** The scope-A user sees only namespace ta and cannot read, list, watch, change or delete scope B's objects. */
    private static void assertIsolated(String when, Kubectl... views) throws Exception {
        for (Kubectl k : views) {
            assertEquals("namespace/ta", k.run("get", "ns", "-o", "name").requireSuccess().stdout().strip(), when);
            String all = k.run("get", "configmaps", "-A", "--no-headers").requireSuccess().stdout();
            assertTrue(all.contains("cm-a") && !all.contains("tb"), when + ": " + all);
            for (List<String> verb : List.of(List.of("get", "configmap", "cm-b", "-n", "tb"),
                    List.of("get", "configmaps", "-n", "tb"),
                    List.of("get", "--raw", "/api/v1/namespaces/tb/configmaps?watch=true&timeoutSeconds=2"),
                    List.of("label", "configmap", "cm-b", "-n", "tb", "x=y"),
                    List.of("patch", "configmap", "cm-b", "-n", "tb", "-p", "{\"data\":{\"x\":\"y\"}}"),
                    List.of("delete", "configmap", "cm-b", "-n", "tb"))) {
                Kubectl.Result r = k.run(verb.toArray(String[]::new));
                assertNotEquals(0, r.exitCode(), when + ": " + verb + " must be refused: " + r.stdout());
                assertTrue(r.stderr().toLowerCase().contains("forbidden"), when + ": " + r.stderr());
            }
        }
    }

    private static String ok(LocalCluster cluster, String site, Object... parts) throws Exception {
        List<String> args = new ArrayList<>();
        for (Object p : parts) {
            if (p instanceof List<?> l) {
                l.forEach(x -> args.add(x.toString()));
            } else {
                args.add(p.toString());
            }
        }
        LocalCluster.Result r = cluster.cliIn(site, args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), "starling " + String.join(" ", args) + ": " + r.output());
        return r.output();
    }

    private Path kubeconfig(String user, String output) throws Exception {
        Path file = dir.resolve(user + ".kubeconfig");
        Files.writeString(file, output.substring(output.indexOf("apiVersion:")), StandardCharsets.UTF_8);
        return file;
    }
}
