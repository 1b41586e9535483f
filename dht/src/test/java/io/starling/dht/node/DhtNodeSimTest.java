package io.starling.dht.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.starling.core.identity.PeerIdentity;
import io.starling.core.net.WireRegistry;
import io.starling.core.sim.LatencyModel;
import io.starling.dht.record.DhtRecord;
import io.starling.dht.testkit.SimDhtCluster;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class DhtNodeSimTest {
    <T> T await(SimDhtCluster c, CompletableFuture<T> f) {
        c.sim().runUntil(f::isDone, 60_000);
        return f.join();
    }

    @Test
    void rawPutIsReadableFromEveryPeerAndStoredOnTheRClosest() {
        SimDhtCluster c = new SimDhtCluster(11, DhtConfig.defaults(), LatencyModel.constant(10));
        c.grow(15, List.of("a"));
        DhtRecord r = await(c, c.peer(3).node.putRaw("ops/raw", "greeting", "hi".getBytes(StandardCharsets.UTF_8), 0));
        for (SimDhtCluster.Peer p : c.peers()) {
            Optional<DhtRecord> got = await(c, p.node.getRaw("ops/raw", "greeting"));
            assertEquals(r, got.orElseThrow());
        }
        var key = DhtRecord.locationKeyOf("ops/raw");
        List<SimDhtCluster.Peer> sorted = new java.util.ArrayList<>(c.peers());
        sorted.sort((x, y) -> key.compareDistance(x.id(), y.id()));
        for (int i = 0; i < 3; i++) {
            assertNotNull(sorted.get(i).node.readVerified("ops/raw", "greeting"));
        }
        for (int i = 3; i < sorted.size(); i++) {
            assertNull(sorted.get(i).node.readVerified("ops/raw", "greeting"), "only r holders store it");
        }
    }

    @Test
    void softStateExpiresAndTombstonesArePurgedOnlyAfterTheGracePeriod() {
        DhtConfig cfg = DhtConfig.defaults().withTombstoneGraceMillis(600_000);
        SimDhtCluster c = new SimDhtCluster(12, cfg, LatencyModel.constant(10));
        c.grow(5, List.of("a"));
        DhtNode n = c.peer(0).node;
        await(c, n.putRaw("hb/site-a", "pi-1", new byte[] {1}, 30_000));
        DhtRecord tomb = n.sign("hb/site-a", "gone", null, n.hlc().next(), 0);
        assertEquals(DhtNode.ApplyOutcome.STORED, n.applyLocal(tomb));
        assertTrue(await(c, n.getRaw("hb/site-a", "pi-1")).isPresent());
        c.sim().runFor(31_000);
        assertTrue(await(c, n.getRaw("hb/site-a", "pi-1")).isEmpty(), "expired heartbeat still readable");
        c.sim().runFor(120_000);
        assertNotNull(n.readVerified("hb/site-a", "gone"), "tombstone purged before its grace period");
        c.sim().runFor(600_000 + cfg.sweepIntervalMillis());
        assertNull(n.readVerified("hb/site-a", "gone"));
        // an older live write arriving after the delete does not resurrect anything
        DhtRecord stale = n.sign("hb/site-a", "x", new byte[] {1}, 5, 0);
        DhtRecord laterDelete = n.sign("hb/site-a", "x", null, 6, 0);
        n.applyLocal(laterDelete);
        assertEquals(DhtNode.ApplyOutcome.STALE, n.applyLocal(stale));
        assertTrue(n.readVerified("hb/site-a", "x").tombstone());
    }

    @Test
    void aPeerThatIsNotASuperPeerCannotJoinTheDhtNorStoreRecords() {
        // an edge device holds a certificate of the same CA; its transport-verified role is what counts
        PeerIdentity intruder = PeerIdentity.generate(0);
        SimDhtCluster c = new SimDhtCluster(15, DhtConfig.defaults(), LatencyModel.constant(5))
                .onStart(p -> p.node.restrictMembersTo(id -> !id.equals(intruder.nodeId())));
        c.grow(4, List.of("a"));
        SimDhtCluster.Peer edge = c.addPeer("a", intruder);
        assertFalse(c.join(edge, c.peers().subList(0, 4), 60_000), "bootstrap through super-peers that refuse it");

        CompletableFuture<DhtRecord> put = edge.node.putRaw("ops/raw", "evil", new byte[] {1}, 0);
        c.sim().runUntil(put::isDone, 60_000);
        for (SimDhtCluster.Peer p : c.peers().subList(0, 4)) {
            assertFalse(p.node.routingTableUnsafe().contains(intruder.nodeId()), "never in a routing table");
            assertNull(p.node.readVerified("ops/raw", "evil"), "nothing stored");
        }
        long refused = c.peers().subList(0, 4).stream().mapToLong(p -> p.node.metrics().nonMemberRequests()).sum();
        assertTrue(refused > 0, "refusals are counted");
    }

    @Test
    void bootstrapThroughUnreachableSeedsFailsClearly() {
        SimDhtCluster c = new SimDhtCluster(14, DhtConfig.defaults(), LatencyModel.constant(5));
        c.grow(3, List.of("a"));
        SimDhtCluster.Peer p = c.addPeer("a");
        var f = p.node.bootstrap(List.of(new io.starling.core.net.PeerAddress("nobody.a", 7000)));
        c.sim().runUntil(f::isDone, 60_000);
        assertTrue(f.isCompletedExceptionally());
        var ok = p.node.bootstrap(List.of(c.peer(0).contact.address()));
        c.sim().runUntil(ok::isDone, 60_000);
        ok.join();
        assertEquals(3, p.node.routingTableUnsafe().size());
    }

    @Test
    void sameSeedGivesTheSameRun() {
        assertEquals(run(77), run(77));
    }

    private static Map<String, Long> run(long seed) {
        SimDhtCluster c = new SimDhtCluster(seed, DhtConfig.defaults(), LatencyModel.siteMatrix(Map.of("a|b", 30.0), 1, 50, 5));
        c.grow(40, List.of("a", "b"));
        for (int i = 0; i < 10; i++) {
            CompletableFuture<DhtRecord> f = c.peer(i).node.putRaw("det/" + i, "k", new byte[] {(byte) i}, 0);
            c.sim().runUntil(f::isDone, 60_000);
        }
        c.sim().runFor(3_600_000);
        Map<String, Long> m = new java.util.TreeMap<>();
        for (SimDhtCluster.Peer p : c.peers()) {
            p.node.metrics().snapshot().forEach((k, v) -> m.merge(k, v, Long::sum));
        }
        m.put("now", c.sim().nowMillis());
        m.put("events", c.sim().executedEvents());
        return m;
    }

    @Test
    void wireIdsDoNotCollide() {
        WireRegistry r = new WireRegistry();
        DhtMessages.register(r);
        io.starling.dht.cluster.ClusterMessages.register(r);
        assertEquals(11 + 34, r.entries().size());
    }
}
