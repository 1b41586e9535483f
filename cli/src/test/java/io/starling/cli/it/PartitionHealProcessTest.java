package io.starling.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BRIEF guarantee 4 on real processes in network namespaces: three sites (one super-peer each,
 * which also runs pods), site c cut from a+b for 30 s. Both sides keep serving kubectl and accept
 * writes: a new Deployment each, both scale the same Deployment, c deletes one, both label a
 * ConfigMap (different keys) and set the same annotation on it. After the heal every super-peer
 * shows the same state, computed from the merge rules (docs/ARCHITECTURE.md): both labels, the
 * later annotation and replica count win, the deleted Deployment stays deleted, an Event on the
 * ConfigMap records the lost annotation write, and each Deployment runs exactly its replica count.
 */
class PartitionHealProcessTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void bothSidesWriteDuringACutAndConvergeAfterTheHeal() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not on PATH");
        assumeTrue(NetnsTestbed.available(), "needs root, iproute2 and nftables for network namespaces");
        try (NetnsTestbed bed = NetnsTestbed.create("a", "b", "c");
             LocalCluster cluster = new LocalCluster(dir, bed)) {
            cluster.init("a-super", "a", "--api", bed.host("a") + ":6443", "--cpu", "8");
            cluster.join("b-super", "b", true, "--api", bed.host("b") + ":6443", "--cpu", "8");
            cluster.join("c-super", "c", true, "--api", bed.host("c") + ":6443", "--cpu", "8");
            Map<String, Kubectl> k = new LinkedHashMap<>();
            for (String site : List.of("a", "b", "c")) {
                k.put(site, cluster.kubectl(site, 6443));
            }
            Kubectl a = k.get("a");
            Kubectl c = k.get("c");
            KubectlSliceTest.awaitOutput(c, "a-super", 60_000, "get", "nodes");
            a.runWithInput(Manifests.deployment("shared", 1), "apply", "-f", "-").requireSuccess();
            a.runWithInput(Manifests.deployment("doomed", 1), "apply", "-f", "-").requireSuccess();
            a.run("create", "configmap", "settings", "--from-literal=mode=edge").requireSuccess();
            for (Kubectl kc : k.values()) {
                KubectlSliceTest.awaitOutput(kc, "settings", 30_000, "get", "configmaps");
                KubectlSliceTest.awaitOutput(kc, "doomed", 30_000, "get", "deployments");
            }

            bed.cut(List.of("c"), List.of("a", "b"));
            long cutAt = System.currentTimeMillis();
            a.runWithInput(Manifests.deployment("new-a", 1), "apply", "-f", "-").requireSuccess();
            a.run("scale", "deployment", "shared", "--replicas=2").requireSuccess();
            a.run("label", "configmap", "settings", "from-a=yes").requireSuccess();
            a.run("annotate", "configmap", "settings", "owner=site-a").requireSuccess();
            c.runWithInput(Manifests.deployment("new-c", 1), "apply", "-f", "-").requireSuccess();
            c.run("delete", "deployment", "doomed").requireSuccess();
            c.run("label", "configmap", "settings", "from-c=yes").requireSuccess();
            Thread.sleep(50); // the same annotation: c writes last, so c wins (later hybrid clock)
            c.run("annotate", "configmap", "settings", "--overwrite", "owner=site-c").requireSuccess();
            c.run("scale", "deployment", "shared", "--replicas=3").requireSuccess();
            // reads keep working on both sides of the cut
            c.run("get", "deployments").requireSuccess();
            k.get("b").run("get", "configmap", "settings").requireSuccess();
            assertTrue(k.get("b").run("get", "deployment", "new-a").exitCode() == 0
                    || awaitQuietly(k.get("b"), "new-a"), "b, on a's side, sees a's new Deployment");
            long cutFor = 30_000 - (System.currentTimeMillis() - cutAt);
            if (cutFor > 0) {
                Thread.sleep(cutFor);
            }

            bed.heal();
            long healedAt = System.currentTimeMillis();
            Map<String, String> views = awaitSameView(k, 60_000);
            System.out.printf("all super-peers converged %.1f s after the heal%n",
                    (System.currentTimeMillis() - healedAt) / 1000.0);
            JsonNode view = JSON.readTree(views.get("a"));
            assertEquals(List.of("new-a", "new-c", "shared"), names(view.path("deployments")));
            assertEquals(3, view.path("deployments").path("shared").asInt(), "the later scale (c) wins");
            JsonNode settings = view.path("settings");
            assertEquals("yes", settings.path("labels").path("from-a").asText(), "a's label survives");
            assertEquals("yes", settings.path("labels").path("from-c").asText(), "c's label survives");
            assertEquals("site-c", settings.path("annotations").path("owner").asText(), "the later annotation wins");
            for (Map.Entry<String, Kubectl> e : k.entrySet()) {
                String events = e.getValue().run("get", "events", "--field-selector",
                        "involvedObject.name=settings", "-o", "jsonpath={range .items[*]}{.reason} {.message}{\"\\n\"}{end}")
                        .requireSuccess().stdout();
                assertTrue(events.contains("site-a"), "super-peer " + e.getKey()
                        + " has an Event recording the lost write owner=site-a: " + events);
            }
            for (String d : List.of("new-a", "new-c", "shared")) {
                KubectlSliceTest.awaitOutput(a, d.equals("shared") ? "3/3" : "1/1", 120_000, "get", "deployment", d);
            }
            assertFalse(a.run("get", "pods", "-o", "name").stdout().contains("doomed"), "no pod of the deleted Deployment");
        }
    }

    /** Polls every super-peer until they all report the same normalized view; returns it per site. */
    private static Map<String, String> awaitSameView(Map<String, Kubectl> k, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        Map<String, String> views = new TreeMap<>();
        while (System.currentTimeMillis() < deadline) {
            views.clear();
            for (Map.Entry<String, Kubectl> e : k.entrySet()) {
                views.put(e.getKey(), view(e.getValue()));
            }
            if (views.values().stream().distinct().count() == 1) {
                return views;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("super-peers did not converge: " + views);
    }

    /** Deployments with their desired replicas, and the ConfigMap's labels and annotations. */
    private static String view(Kubectl k) throws Exception {
        var out = JSON.createObjectNode();
        var deployments = out.putObject("deployments");
        Kubectl.Result d = k.run("get", "deployments", "-o", "json");
        if (d.exitCode() != 0) {
            return "unreachable: " + d.stderr();
        }
        for (JsonNode item : JSON.readTree(d.stdout()).path("items")) {
            deployments.put(item.path("metadata").path("name").asText(), item.path("spec").path("replicas").asInt());
        }
        Kubectl.Result cm = k.run("get", "configmap", "settings", "-o", "json");
        if (cm.exitCode() == 0) {
            JsonNode meta = JSON.readTree(cm.stdout()).path("metadata");
            var s = out.putObject("settings");
            s.set("labels", sorted(meta.path("labels")));
            var ann = JSON.createObjectNode();
            meta.path("annotations").fields().forEachRemaining(f -> {
                if (!f.getKey().startsWith("starling.io/") && !f.getKey().startsWith("kubectl.kubernetes.io/")) {
                    ann.set(f.getKey(), f.getValue());
                }
            });
            s.set("annotations", sorted(ann));
        }
        return JSON.writeValueAsString(out);
    }

    private static JsonNode sorted(JsonNode obj) {
        var out = JSON.createObjectNode();
        new TreeMap<String, JsonNode>() {{
            obj.fields().forEachRemaining(f -> put(f.getKey(), f.getValue()));
        }}.forEach(out::set);
        return out;
    }

    private static List<String> names(JsonNode obj) {
        List<String> names = new java.util.ArrayList<>();
        obj.fieldNames().forEachRemaining(names::add);
        return names.stream().sorted().toList();
    }

    private static boolean awaitQuietly(Kubectl k, String deployment) {
        try {
            KubectlSliceTest.awaitOutput(k, deployment, 15_000, "get", "deployments");
            return true;
        } catch (Exception | AssertionError e) {
            return false;
        }
    }
}
