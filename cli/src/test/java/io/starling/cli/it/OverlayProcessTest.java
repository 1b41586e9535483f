package io.starling.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.starling.dht.kube.KubeJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The foundation issue's acceptance run, on real processes over 127.0.0.1: init + 4 joins, a
 * record written on one super-peer is read on every other, survives the loss of two of its three
 * replica holders (and is re-replicated), survives a restart of every peer, and a wrong join token
 * is refused.
 */
class OverlayProcessTest {
    @TempDir
    Path dir;

    @Test
    void recordsAreReplicatedSurviveHolderLossAndFullRestartAndBadTokensAreRefused() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir)) {
            cluster.init("p0", "a", "--runtime", "none", "--api", "127.0.0.1:0");
            for (int i = 1; i <= 4; i++) {
                cluster.join("p" + i, i % 2 == 0 ? "a" : "b", true, "--runtime", "none", "--api", "127.0.0.1:0");
            }
            String creds = cluster.adminCredentials().toString();

            // operator requests need the operator's certificate, not a peer's of the same CA
            LocalCluster.Result notOperator = cluster.cli("dht", "put", "greeting", "bogus", "--peer", cluster.address("p0"),
                    "--credentials", cluster.dataDir("p1").resolve("credentials").toString());
            assertNotEquals(0, notOperator.exitCode(), notOperator.output());
            assertTrue(notOperator.output().contains("operator credentials required: this certificate's role is super"),
                    notOperator.output());

            // put on one peer, get on every other
            LocalCluster.Result put = cluster.cli("dht", "put", "greeting", "hello", "--peer", cluster.address("p0"),
                    "--credentials", creds, "-o", "json");
            assertEquals(0, put.exitCode(), put.output());
            JsonNode written = json(put.output());
            List<String> holders = new ArrayList<>();
            written.get("replicas").forEach(r -> holders.add(r.get("address").asText()));
            assertEquals(3, holders.size(), "r = 3 replicas: " + put.output());
            for (String name : cluster.names()) {
                assertEquals("hello", get(cluster, name, creds), "read on " + name);
            }

            // kill two of the three holders: still readable from the others
            List<String> killed = new ArrayList<>();
            for (String name : cluster.names()) {
                if (holders.contains(cluster.address(name)) && killed.size() < 2) {
                    cluster.peer(name).kill();
                    killed.add(name);
                }
            }
            String reader = cluster.names().stream().filter(n -> !killed.contains(n)).findFirst().orElseThrow();
            assertEquals("hello", getEventually(cluster, reader, creds, 30_000));

            // re-replicated: after repair the last original holder can go too
            String lastHolder = cluster.names().stream()
                    .filter(n -> holders.contains(cluster.address(n)) && !killed.contains(n)).findFirst().orElseThrow();
            awaitReplicas(cluster, reader, creds, killed, 60_000);
            cluster.peer(lastHolder).kill();
            killed.add(lastHolder);
            String survivor = cluster.names().stream().filter(n -> !killed.contains(n)).findFirst().orElseThrow();
            assertEquals("hello", getEventually(cluster, survivor, creds, 30_000),
                    "a copy was made on a new holder before the last original holder died");

            // restart every peer from its data dir: nothing lost
            for (String name : cluster.names()) {
                cluster.peer(name).kill();
            }
            for (String name : cluster.names()) {
                cluster.restart(name);
            }
            for (String name : cluster.names()) {
                assertEquals("hello", getEventually(cluster, name, creds, 60_000), "after restart, read on " + name);
            }

            // a wrong token is refused with a one-line error, and the cluster stays up; an unreachable
            // bootstrap is skipped for the next one, but a refusal is final
            String bad = cluster.token().replaceFirst("\\.[0-9a-f]{32}\\.", ".00000000000000000000000000000000.");
            assertNotEquals(cluster.token(), bad);
            String nobody = "127.0.0.1:" + LocalCluster.freePort();
            LocalCluster.Result refused = cluster.cli("peer", "--site", "a", "--bootstrap", nobody + "," + cluster.address("p1"),
                    "--token", bad, "--listen", "127.0.0.1:" + LocalCluster.freePort(),
                    "--data-dir", dir.resolve("intruder").toString());
            assertNotEquals(0, refused.exitCode());
            assertTrue(refused.output().contains("join refused: invalid token"), refused.output());
            assertTrue(refused.output().contains("join through " + nobody + " failed"), refused.output());
            assertEquals(1, refused.output().lines().filter(l -> l.contains("trying again")).count(), refused.output());
            assertEquals("hello", get(cluster, "p1", creds));
        }
    }

    private static JsonNode json(String output) throws Exception {
        return KubeJson.MAPPER.readTree(output.substring(output.indexOf('{')));
    }

    private static String get(LocalCluster cluster, String name, String creds) throws Exception {
        LocalCluster.Result r = cluster.cli("dht", "get", "greeting", "--peer", cluster.address(name),
                "--credentials", creds, "-o", "json");
        if (r.exitCode() != 0) {
            return "exit " + r.exitCode() + ": " + r.output();
        }
        return json(r.output()).get("value").asText();
    }

    private static String getEventually(LocalCluster cluster, String name, String creds, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        String last;
        do {
            last = get(cluster, name, creds);
            if (last.equals("hello")) {
                return last;
            }
            Thread.sleep(1000);
        } while (System.currentTimeMillis() < deadline);
        return last;
    }

    /** Waits until the replica set reported for the key has no dead peer in it. */
    private static void awaitReplicas(LocalCluster cluster, String name, String creds, List<String> dead,
                                      long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        List<String> deadAddresses = dead.stream().map(cluster::address).toList();
        while (System.currentTimeMillis() < deadline) {
            LocalCluster.Result r = cluster.cli("dht", "get", "greeting", "--peer", cluster.address(name),
                    "--credentials", creds, "-o", "json");
            if (r.exitCode() == 0) {
                List<String> replicas = new ArrayList<>();
                json(r.output()).get("replicas").forEach(x -> replicas.add(x.get("address").asText()));
                if (replicas.size() == 3 && replicas.stream().noneMatch(deadAddresses::contains)) {
                    Thread.sleep(5000); // the repair push follows the routing change
                    return;
                }
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("replica set still names dead peers after " + timeoutMillis + " ms");
    }
}
