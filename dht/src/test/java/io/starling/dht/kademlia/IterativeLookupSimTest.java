package io.starling.dht.kademlia;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import io.starling.core.net.Contact;
import io.starling.core.net.NodeId;
import io.starling.core.random.SeededRandom;
import io.starling.core.sim.LatencyModel;
import io.starling.dht.node.DhtConfig;
import io.starling.dht.node.LookupResult;
import io.starling.dht.testkit.SimDhtCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.SourceDSL;

/** The production lookup over the simulated network of 1,000 super-peers returns the true k closest. */
class IterativeLookupSimTest {
    static final long SEED = 20261127L;
    static SimDhtCluster cluster;

    @BeforeAll
    static void build() {
        System.out.println("IterativeLookupSimTest seed=" + SEED);
        cluster = new SimDhtCluster(SEED, DhtConfig.defaults(), LatencyModel.siteMatrix(
                java.util.Map.of("a|b", 40.0, "a|c", 80.0, "b|c", 60.0), 1.0, 100.0, 2.0));
        cluster.grow(1000, List.of("a", "b", "c"));
        cluster.checkInvariants();
    }

    static List<NodeId> trueClosest(NodeId target, NodeId exclude, int k) {
        List<NodeId> all = new ArrayList<>();
        for (SimDhtCluster.Peer p : cluster.peers()) {
            if (!p.id().equals(exclude)) {
                all.add(p.id());
            }
        }
        all.sort(target::compareDistance);
        return all.subList(0, k);
    }

    @Test
    void lookupReturnsExactlyTheTrueKClosest() {
        qt().withExamples(50).forAll(SourceDSL.longs().all(), SourceDSL.integers().between(0, 999)).check((seed, from) -> {
            byte[] b = new byte[20];
            new SeededRandom(seed).nextBytes(b);
            NodeId target = NodeId.of(b);
            SimDhtCluster.Peer origin = cluster.peer(from);
            CompletableFuture<LookupResult> f = origin.node.lookup(target);
            cluster.sim().runUntil(f::isDone, 60_000);
            List<NodeId> got = f.join().closest().stream().map(Contact::id).toList();
            return got.equals(trueClosest(target, origin.id(), 20));
        });
        cluster.checkInvariants();
    }

    @Test
    void routingTablesAreWellFilledAndSane() {
        int total = 0;
        for (SimDhtCluster.Peer p : cluster.peers()) {
            total += p.node.routingTableUnsafe().size();
        }
        double avg = total / 1000.0;
        System.out.println("average routing table size at 1000 peers: " + avg);
        assertTrue(avg > 60, "tables too sparse: " + avg);
        assertEquals(0, cluster.network().droppedMessages());
    }
}
