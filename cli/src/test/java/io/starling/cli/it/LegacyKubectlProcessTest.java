package io.starling.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's kubectl 1.20 as a second client. It predates OpenAPI v3: `apply` validates manifests on
 * the client against /openapi/v2 (protobuf) and computes its strategic merge patches from the
 * patch extensions there. Runs when the binary is found (STARLING_KUBECTL_LEGACY, or where .ci/run
 * extracts it: .ci/cache/kubectl-1.20/usr/bin/kubectl under the repository root).
 */
class LegacyKubectlProcessTest {
    static final String ENV = "STARLING_KUBECTL_LEGACY";
    static final String CACHED = ".ci/cache/kubectl-1.20/usr/bin/kubectl";

    @TempDir
    Path dir;

    private static final String MANIFEST = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels: {app: web, tier: front}
            spec:
              replicas: 1
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                  - name: main
                    image: busybox
                    command: ["sh", "-c", "echo hello-from-1.20; while true; do sleep 1; done"]
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: web-config}
            data: {mode: edge}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              selector: {app: web}
              ports: [{port: 80, targetPort: 8080}]
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: web-secret}
            stringData: {password: s3cret}
            """;

    /** The same manifest with a label changed and an env var added to the container. */
    private static final String CHANGED = MANIFEST.replace("tier: front", "tier: back")
            .replace("    image: busybox\n", "    image: busybox\n        env: [{name: MODE, value: blue}]\n");

    private static final String UNKNOWN_FIELD = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: typo}
            data: {a: "1"}
            dataa: {b: "2"}
            """;

    static Optional<Path> legacyKubectl() {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank() && Files.isExecutable(Path.of(env))) {
            return Optional.of(Path.of(env));
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve(CACHED);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    @Test
    void kubectl120AppliesWithClientSideValidationAndManagesWorkloads() throws Exception {
        Optional<Path> legacy = legacyKubectl();
        assumeTrue(legacy.isPresent(), "kubectl 1.20 not found: set " + ENV + " or run .ci/run to fetch it into " + CACHED);
        try (LocalCluster cluster = new LocalCluster(dir)) {
            int api = LocalCluster.freePort();
            cluster.init("a-super", "a", "--runtime", "none", "--api", "127.0.0.1:" + api);
            cluster.join("a-edge", "a", false, "--runtime", "process", "--cpu", "4");
            Kubectl k = cluster.kubectl(api).withBinary(legacy.get());
            assertTrue(k.run("version", "--client", "--short").requireSuccess().stdout().contains("v1.20"));
            KubectlSliceTest.awaitOutput(k, "a-edge", 60_000, "get", "nodes");

            // apply with default (client-side) validation: needs /openapi/v2
            String applied = k.runWithInput(MANIFEST, "apply", "-f", "-").requireSuccess().stdout();
            for (String o : new String[] {"deployment.apps/web created", "configmap/web-config created",
                    "service/web created", "secret/web-secret created"}) {
                assertTrue(applied.contains(o), applied);
            }
            KubectlSliceTest.awaitOutput(k, "1/1", 90_000, "get", "deployment", "web");

            // --dry-run=server: kubectl 1.20 first checks the PATCH operation's dryRun parameter in /openapi/v2
            String dry = k.runWithInput(CHANGED, "apply", "--dry-run=server", "-f", "-").requireSuccess().stdout();
            assertTrue(dry.contains("deployment.apps/web configured (server dry run)"), dry);
            k.run("delete", "--dry-run=server", "configmap", "web-config").requireSuccess();
            k.run("get", "configmap", "web-config").requireSuccess();
            assertEquals("front", k.run("get", "deployment", "web", "-o", "jsonpath={.metadata.labels.tier}")
                    .requireSuccess().stdout().trim(), "a dry run changes nothing");

            // A field set by someone else inside the container: a strategic merge patch keyed by the
            // container name keeps it, a patch that replaced the containers list would drop it.
            k.run("set", "resources", "deployment", "web", "--limits=cpu=300m").requireSuccess();
            Kubectl.Result reapplied = k.runWithInput(CHANGED, "apply", "-v=8", "-f", "-").requireSuccess();
            assertTrue(reapplied.stdout().contains("deployment.apps/web configured"), reapplied.stdout());
            assertTrue(reapplied.stdout().contains("configmap/web-config unchanged"), reapplied.stdout());
            assertFalse(reapplied.stderr().contains("error calculating patch from openapi spec"), reapplied.stderr());
            assertTrue(reapplied.stderr().contains("strategic-merge-patch+json"), "a strategic merge patch was sent");
            String d = k.run("get", "deployment", "web", "-o",
                    "jsonpath={.metadata.labels.tier}|{.spec.template.spec.containers[0].env[0].name}"
                            + "|{.spec.template.spec.containers[0].resources.limits.cpu}").requireSuccess().stdout();
            assertEquals("back|MODE|300m", d.trim());

            String wide = k.run("get", "deployments,services", "-o", "wide").requireSuccess().stdout();
            assertTrue(wide.contains("busybox") && wide.contains("app=web") && wide.contains("80/TCP"), wide);
            String described = k.run("describe", "deployment", "web").requireSuccess().stdout();
            assertTrue(described.contains("tier=back") && described.contains("MODE:"), described);

            k.run("scale", "deployment", "web", "--replicas=2").requireSuccess();
            KubectlSliceTest.awaitOutput(k, "2/2", 90_000, "get", "deployment", "web");
            KubectlSliceTest.awaitOutput(k, "hello-from-1.20", 60_000, "logs", "deployment/web", "--tail=5");

            // client-side validation against the v2 schemas rejects an unknown field before any request
            Kubectl.Result typo = k.runWithInput(UNKNOWN_FIELD, "apply", "-f", "-");
            assertNotEquals(0, typo.exitCode(), typo.stdout());
            assertTrue(typo.stderr().contains("unknown field \"dataa\""), typo.stderr());
            assertTrue(typo.stderr().contains("io.k8s.api.core.v1.ConfigMap"), typo.stderr());
            assertNotEquals(0, k.run("get", "configmap", "typo").exitCode(), "the rejected ConfigMap was never created");

            String deleted = k.runWithInput(CHANGED, "delete", "-f", "-").requireSuccess().stdout();
            assertTrue(deleted.contains("deployment.apps \"web\" deleted") && deleted.contains("secret \"web-secret\" deleted"),
                    deleted);
            assertNotEquals(0, k.run("get", "configmap", "web-config").exitCode());
        }
    }
}
