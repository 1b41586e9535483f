package io.starling.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secret data of a scope shared with site a only, with real peer processes and the real kubectl:
 * a's super-peer serves it and a pod on a's edge peer gets it as env; b's super-peer stores and
 * replicates the Secret but refuses to read it, until the scope is shared with b too, and again after
 * {@code scope revoke --site b}; no data dir of either super-peer holds the value.
 */
class SealedSecretProcessTest {
    private static final String VALUE = "sealed-value-7f3a91";

    @TempDir
    Path dir;

    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: reader
            spec:
              containers:
              - name: main
                image: busybox
                command: ["sh", "-c", "while true; do echo PW=$PASSWORD; sleep 1; done"]
                env:
                - name: PASSWORD
                  valueFrom:
                    secretKeyRef: {name: db, key: password}
                resources:
                  requests: {cpu: 100m, memory: 16Mi}
            """;

    @Test
    void onlyTheScopesSitesReadItsSecretsAndTheirPodsGetTheValue() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not on PATH");
        try (LocalCluster cluster = new LocalCluster(dir)) {
            cluster.twoSites("2", 512, "a-edge1");
            int apiA = cluster.apiPort("a-super");
            int apiB = cluster.apiPort("b-super");
            List<String> target = List.of("--server", "127.0.0.1:" + apiA, "--server", "127.0.0.1:" + apiB,
                    "--credentials", cluster.adminCredentials().toString());
            Kubectl a = cluster.kubectl(apiA);
            Kubectl b = cluster.kubectl(apiB);

            ok(cluster, Stream.concat(Stream.of("scope", "create", "team-s", "--namespace", "ts"), target.stream()).toArray(String[]::new));
            ok(cluster, Stream.concat(Stream.of("scope", "share", "team-s", "--site", "a"), target.stream()).toArray(String[]::new));
            KubectlSliceTest.awaitOutput(a, "a-edge1", 60_000, "get", "nodes");

            // the first write may wait for the share and the scope key to reach a's super-peer
            long deadline = System.currentTimeMillis() + 60_000;
            Kubectl.Result created;
            do {
                created = a.run("create", "secret", "generic", "db", "-n", "ts", "--from-literal=password=" + VALUE);
                if (created.exitCode() == 0 || created.stderr().contains("AlreadyExists")) {
                    break;
                }
                Thread.sleep(1000);
            } while (System.currentTimeMillis() < deadline);
            assertTrue(created.exitCode() == 0 || created.stderr().contains("AlreadyExists"), created.stderr());
            String b64 = Base64.getEncoder().encodeToString(VALUE.getBytes(StandardCharsets.UTF_8));
            assertEquals(b64, a.run("get", "secret", "db", "-n", "ts", "-o", "jsonpath={.data.password}").requireSuccess().stdout().trim());

            // b replicates the Secret (it lists it) but cannot read its data
            KubectlSliceTest.awaitOutput(b, "db", 60_000, "get", "secrets", "-n", "ts", "-o", "name");
            String refused = KubectlSliceTest.awaitOutput(b, "sealed to sites [a]", 60_000, "get", "secret", "db", "-n", "ts", "-o", "yaml");
            assertFalse(refused.contains(b64), refused);
            Kubectl.Result r = b.run("get", "secret", "db", "-n", "ts", "-o", "yaml");
            assertNotEquals(0, r.exitCode(), r.stdout());
            String listed = b.run("get", "secrets", "-n", "ts", "-o", "yaml").requireSuccess().stdout();
            assertFalse(listed.contains(b64) || listed.contains("starling-v1:"), listed);

            // a pod of the scope (placed in site a) gets the value as env through a's super-peer
            a.runWithInput(POD, "apply", "-n", "ts", "-f", "-").requireSuccess();
            KubectlSliceTest.awaitOutput(a, "PW=" + VALUE, 90_000, "logs", "reader", "-n", "ts", "--tail=2");

            // sharing site b hands b's super-peer the key; revoking the share takes it away again
            ok(cluster, Stream.concat(Stream.of("scope", "share", "team-s", "--site", "b"), target.stream()).toArray(String[]::new));
            KubectlSliceTest.awaitOutput(b, b64, 60_000, "get", "secret", "db", "-n", "ts", "-o", "jsonpath={.data.password}");
            ok(cluster, Stream.concat(Stream.of("scope", "revoke", "team-s", "--site", "b"), target.stream()).toArray(String[]::new));
            KubectlSliceTest.awaitOutput(b, "sealed to sites [a]", 60_000, "get", "secret", "db", "-n", "ts", "-o", "yaml");
            LocalCluster.Result last = cluster.cli(Stream.concat(Stream.of("scope", "revoke", "team-s", "--site", "a"),
                    target.stream()).toArray(String[]::new));
            assertNotEquals(0, last.exitCode(), "removing the only site would share the scope with every site");
            assertTrue(last.output().contains("only site"), last.output());

            // at rest: no super-peer's data dir holds the value, in clear or base64
            for (String peer : List.of("a-super", "b-super")) {
                assertNoFileContains(cluster.dataDir(peer), List.of(VALUE, b64));
            }
        }
    }

    private static void assertNoFileContains(Path root, List<String> needles) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String n : needles) {
                    assertFalse(text.contains(n), f + " holds the secret value");
                }
            }
        }
    }

    private static String ok(LocalCluster cluster, String... args) throws Exception {
        LocalCluster.Result r = cluster.cli(args);
        assertEquals(0, r.exitCode(), "starling " + String.join(" ", args) + ": " + r.output());
        return r.output();
    }
}
