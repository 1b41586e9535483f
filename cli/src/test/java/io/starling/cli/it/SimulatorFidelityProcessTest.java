package io.starling.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.starling.cli.peer.DataDir;
import io.starling.core.net.NodeId;
import io.starling.core.security.PeerCredentials;
import io.starling.core.sim.LatencyModel;
import io.starling.dht.kube.KubeJson;
import io.starling.dht.node.DhtConfig;
import io.starling.dht.node.LookupResult;
import io.starling.dht.testkit.SimDhtCluster;
import io.starling.simulator.SimulationResult;
import io.starling.simulator.Simulator;
import io.starling.simulator.scenario.Plan;
import io.starling.simulator.scenario.ScenarioLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fidelity of the simulator (issue 6): five peers run once as real processes on loopback and once
 * in the simulator, and give the same answers.
 *
 * <p>The peers: site a has super-peers a-super and a-super2 and two edge peers of different size
 * (a-e0: 2 CPUs, 2 GiB, 4 pods; a-e1: 1 CPU, 1 GiB, 4 pods); site b has only the super-peer b-super,
 * so pods whose users are in b spill over to a.
 * <ul>
 *   <li>DHT: the simulated overlay is built from the real super-peers' identities (so the node ids
 *   are the same) and joined in the same order; lookups of the same keys from the same peers must
 *   take the same number of hops, query the same number of peers and return the same closest ids in
 *   the same order.</li>
 *   <li>Scheduling: the same pods (sizes, users' sites, order) are created in both; each must land
 *   on the same node, and the one that fits nowhere must stay Pending in both.</li>
 * </ul>
 * What the real network cannot reproduce is timing (the simulator's LAN and WAN delays are a
 * model); decisions here do not depend on it because a site's nodes are all within the scheduler's
 * proximity tolerance of each other, so resources decide.
 */
class SimulatorFidelityProcessTest {
    @TempDir
    Path dir;

    /** name, users' site, cpu millis, memory MiB; created one after another. */
    private record PodSpec(String name, String usersSite, int cpuMillis, int memoryMiB) {}

    private static final List<PodSpec> PODS = List.of(
            new PodSpec("p0", "a", 500, 256),
            new PodSpec("p1", "a", 300, 512),
            new PodSpec("p2", "b", 400, 128),
            new PodSpec("p3", "a", 700, 256),
            new PodSpec("p4", "b", 200, 384),
            new PodSpec("p5", "a", 250, 640),
            new PodSpec("p6", "b", 300, 96),
            new PodSpec("p7", "a", 1500, 256));

    private static final List<String> KEYS = List.of("alpha", "pods/default/web", "nodes/a-e0");

    @Test
    void lookupsAndSchedulingDecisionsMatchBetweenRealPeersAndTheSimulator() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not on PATH");
        try (LocalCluster cluster = new LocalCluster(dir)) {
            int apiA = LocalCluster.freePort();
            int apiB = LocalCluster.freePort();
            cluster.init("a-super", "a", "--runtime", "none", "--api", "127.0.0.1:" + apiA);
            cluster.join("a-super2", "a", true, "--runtime", "none");
            cluster.join("b-super", "b", true, "--runtime", "none", "--api", "127.0.0.1:" + apiB);
            cluster.join("a-e0", "a", false, "--runtime", "process", "--cpu", "2", "--memory", "2048", "--pods", "4");
            cluster.join("a-e1", "a", false, "--runtime", "process", "--cpu", "1", "--memory", "1024", "--pods", "4");
            List<String> supers = List.of("a-super", "a-super2", "b-super");
            long t0 = System.currentTimeMillis();
            System.out.printf("peers started%n");

            Map<String, Lookup> realLookups = new LinkedHashMap<>();
            for (String from : supers) {
                for (String key : KEYS) {
                    LocalCluster.Result r = cluster.cli("dht", "lookup", "--peer", cluster.address(from), key,
                            "--credentials", cluster.adminCredentials().toString(), "-o", "json");
                    assertEquals(0, r.exitCode(), r.output());
                    JsonNode n = KubeJson.MAPPER.readTree(r.output().substring(r.output().indexOf('{')));
                    List<String> ids = new ArrayList<>();
                    n.get("closest").forEach(c -> ids.add(c.get("id").asText()));
                    realLookups.put(from + " " + key, new Lookup(n.get("hops").asInt(), n.get("queried").asInt(), ids));
                }
            }
            System.out.printf("real lookups done after %d ms%n", System.currentTimeMillis() - t0);
            Map<String, Lookup> simLookups = simulatedLookups(cluster, supers);
            System.out.printf("simulated lookups done after %d ms%n", System.currentTimeMillis() - t0);
            assertEquals(realLookups, simLookups, "DHT lookups (hops, peers queried, closest ids) of real peers vs the simulator");

            Kubectl a = cluster.kubectl(apiA);
            Kubectl b = cluster.kubectl(apiB);
            KubectlSliceTest.awaitOutput(a, "a-e1", 60_000, "get", "nodes");
            awaitReady(a, List.of("a-e0", "a-e1"));
            Map<String, String> real = new LinkedHashMap<>();
            for (PodSpec p : PODS) {
                Kubectl k = p.usersSite().equals("a") ? a : b;
                k.runWithInput(pod(p), "apply", "-f", "-").requireSuccess();
                real.put(p.name(), awaitDecision(k, p.name()));
            }
            System.out.printf("real placements after %d ms: %s%n", System.currentTimeMillis() - t0, real);

            Map<String, String> simulated = simulatedPlacements();
            System.out.printf("simulated placements after %d ms: %s%n", System.currentTimeMillis() - t0, simulated);
            assertEquals(real, simulated, "where each pod was placed, real peers vs the simulator");
            assertTrue(real.containsValue("a-e0") && real.containsValue("a-e1") && real.containsValue("Pending"),
                    "the pod set exercises both nodes and an unschedulable pod: " + real);
        }
    }

    private record Lookup(int hops, int queried, List<String> closest) {}

    /** The same super-peers (identities from their data dirs) on the simulated network, the same lookups. */
    private Map<String, Lookup> simulatedLookups(LocalCluster cluster, List<String> supers) {
        SimDhtCluster sim = new SimDhtCluster(1, DhtConfig.defaults(), LatencyModel.constant(0.1));
        List<SimDhtCluster.Peer> peers = new ArrayList<>();
        for (String name : supers) {
            PeerCredentials creds = PeerCredentials.load(new DataDir(cluster.dataDir(name)).credentials());
            SimDhtCluster.Peer p = sim.addPeer(cluster.site(name), creds.identity());
            if (!peers.isEmpty()) {
                assertTrue(sim.join(p, List.of(peers.get(0)), 60_000), name + " joins the simulated overlay");
            }
            peers.add(p);
        }
        sim.sim().runFor(10_000);
        Map<String, Lookup> out = new LinkedHashMap<>();
        for (int i = 0; i < supers.size(); i++) {
            SimDhtCluster.Peer p = peers.get(i);
            for (String key : KEYS) {
                NodeId target = NodeId.of(sha1(key));
                CompletableFuture<LookupResult> f = new CompletableFuture<>();
                p.loop.execute(() -> p.node.lookup(target).whenComplete((r, e) -> {
                    if (e != null) {
                        f.completeExceptionally(e);
                    } else {
                        f.complete(r);
                    }
                }));
                assertTrue(sim.sim().runUntil(f::isDone, 30_000), "simulated lookup finished");
                LookupResult r = f.join();
                out.put(supers.get(i) + " " + key,
                        new Lookup(r.hops(), r.queried(), r.closest().stream().map(c -> c.id().toHex()).toList()));
            }
        }
        return out;
    }

    /** The same five peers, capacities and pods as a simulator scenario; pod name -> node (or Pending). */
    private Map<String, String> simulatedPlacements() {
        StringBuilder yaml = new StringBuilder("""
                name: fidelity
                duration: 200s
                settle: 20s
                sites:
                  - {name: a, superPeers: 2, edgePeers: 2, lanRttMs: 0.2, capacities: [{cpuMillis: 2000, memoryMiB: 2048, pods: 4}, {cpuMillis: 1000, memoryMiB: 1024, pods: 4}]}
                  - {name: b, superPeers: 1, edgePeers: 0, lanRttMs: 0.2}
                links: {wanRttMs: 1, jitterMs: 0, loss: 0}
                probes: {lookupsPerMinute: 0, writesPerMinute: 0, vivaldiPairs: 0}
                workload:
                """);
        int at = 30;
        for (PodSpec p : PODS) {
            yaml.append(String.format("  - {at: %ds, kind: Pod, name: %s, usersSite: %s, cpuMillis: %d, memoryMiB: %d}%n",
                    at, p.name(), p.usersSite(), p.cpuMillis(), p.memoryMiB()));
            at += 15;
        }
        Plan plan = ScenarioLoader.parse(yaml.toString(), "fidelity scenario", dir);
        SimulationResult result = new Simulator(plan, 1).run((done, total, events) -> { });
        Map<String, String> out = new LinkedHashMap<>();
        List<String> rows = result.tables().get("pods.csv");
        List<String> header = List.of(rows.get(0).split(","));
        int podCol = header.indexOf("pod");
        int nodeCol = header.indexOf("node");
        Map<String, String> byName = new LinkedHashMap<>();
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",", -1);
            String name = f[podCol].substring(f[podCol].lastIndexOf('/') + 1);
            String node = f[nodeCol];
            byName.put(name, node == null || node.isEmpty() || node.equals("null") ? "Pending" : node);
        }
        for (PodSpec p : PODS) {
            out.put(p.name(), byName.getOrDefault(p.name(), "missing"));
        }
        return out;
    }

    private static String pod(PodSpec p) {
        return """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: %s
                  annotations:
                    starling.io/users: "site:%s"
                spec:
                  containers:
                  - name: app
                    image: busybox:1
                    command: ["sleep", "1000000"]
                    resources:
                      requests: {cpu: %dm, memory: %dMi}
                """.formatted(p.name(), p.usersSite(), p.cpuMillis(), p.memoryMiB());
    }

    private static void awaitReady(Kubectl k, List<String> nodes) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        String out = "";
        while (System.currentTimeMillis() < deadline) {
            out = k.run("get", "nodes", "-o", "jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}").stdout();
            String o = out;
            if (nodes.stream().allMatch(n -> o.contains(n + "=True"))) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("nodes not Ready: " + out);
    }

    /** The node a pod was bound to, or "Pending" once the scheduler said it fits nowhere. */
    private static String awaitDecision(Kubectl k, String pod) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        String out = "";
        while (System.currentTimeMillis() < deadline) {
            out = k.run("get", "pod", pod, "-o",
                    "jsonpath={.spec.nodeName}|{.status.conditions[?(@.type==\"PodScheduled\")].reason}").stdout().trim();
            if (!out.startsWith("|") && !out.isEmpty()) {
                return out.substring(0, out.indexOf('|'));
            }
            if (out.equals("|Unschedulable")) {
                return "Pending";
            }
            Thread.sleep(300);
        }
        throw new AssertionError("no scheduling decision for " + pod + ": " + out);
    }

    private static byte[] sha1(String s) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
