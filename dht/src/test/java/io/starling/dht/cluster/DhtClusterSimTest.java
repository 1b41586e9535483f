package io.starling.dht.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.starling.core.sim.LatencyModel;
import io.starling.dht.node.DhtConfig;
import io.starling.dht.node.DhtMessages;
import io.starling.dht.record.DhtRecord;
import io.starling.dht.storage.MvRecordStorage;
import io.starling.dht.store.CollectionKey;
import io.starling.dht.store.ObjectKey;
import io.starling.dht.store.Precondition;
import io.starling.dht.store.StoreException;
import io.starling.dht.store.Versioned;
import io.starling.dht.store.WatchEvent;
import io.starling.dht.testkit.SimDhtCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DHT-backed store in simulated clusters of 20 super-peers in two sites: replication inside a
 * site, asynchronous replication to the other, fail-over, durability, forgery. (Before site-local
 * replication these tests assumed one global replica set; holders are now per site.)
 */
class DhtClusterSimTest {
    static final long SEED = 7_2026L;
    final CollectionKey pods = CollectionKey.of("", "pods", "default");
    final Map<Integer, DhtClusterStore> stores = new TreeMap<>();

    SimDhtCluster cluster(DhtConfig cfg, int n) {
        System.out.println(getClass().getSimpleName() + " seed=" + SEED);
        SimDhtCluster c = new SimDhtCluster(SEED, cfg, LatencyModel.siteMatrix(Map.of("a|b", 50.0), 1.0, 80.0, 2.0));
        c.onStart(p -> stores.put(p.index, new DhtClusterStore(p.node)));
        c.grow(n, List.of("a", "b"));
        c.checkInvariants();
        return c;
    }

    static DhtConfig fastRepair() {
        return DhtConfig.defaults().withRepublishIntervalMillis(60_000);
    }

    <T> T await(SimDhtCluster c, CompletableFuture<T> f) {
        c.sim().runUntil(f::isDone, 120_000);
        assertTrue(f.isDone(), "operation did not finish in virtual time");
        return f.join();
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The live peers of {@code site} closest to the collection's location key (ground truth, not any node's view). */
    List<SimDhtCluster.Peer> trueHolders(SimDhtCluster c, String site, String collection, int r) {
        List<SimDhtCluster.Peer> live = new ArrayList<>(c.livePeers());
        live.removeIf(p -> !p.contact.site().equals(site));
        var key = DhtRecord.locationKeyOf(collection);
        live.sort((x, y) -> key.compareDistance(x.id(), y.id()));
        return live.subList(0, r);
    }

    @Test
    void putOnOnePeerGetFromEveryOther() {
        SimDhtCluster c = cluster(DhtConfig.defaults(), 20);
        ObjectKey key = pods.object("web");
        Versioned v = await(c, stores.get(0).put(key, b("hello"), Precondition.MUST_NOT_EXIST));
        for (int i = 2; i < 20; i += 2) {
            Versioned got = await(c, stores.get(i).get(key)).orElseThrow();
            assertArrayEquals(b("hello"), got.value());
            assertEquals(v.revision(), got.revision(), "same site, same revision");
        }
        c.sim().runFor(2_000); // asynchronous replication to site b
        for (int i = 1; i < 20; i += 2) {
            Versioned got = await(c, stores.get(i).get(key)).orElseThrow();
            assertArrayEquals(b("hello"), got.value());
        }
        for (String site : List.of("a", "b")) {
            for (SimDhtCluster.Peer h : trueHolders(c, site, pods.path(), 3)) {
                assertNotNull(h.node.readVerified(pods.path(), "web"), "holder " + h.index + " lacks the record");
            }
        }
        c.checkInvariants();
    }

    @Test
    void killingTwoOfThreeHoldersKeepsTheRecordAndRestoresThreeCopies() {
        SimDhtCluster c = cluster(fastRepair(), 20);
        ObjectKey key = pods.object("db");
        List<SimDhtCluster.Peer> holders = trueHolders(c, "a", pods.path(), 3);
        int client = 0;
        while (holders.contains(c.peer(client))) {
            client += 2; // site a
        }
        await(c, stores.get(client).put(key, b("precious"), Precondition.NONE));
        c.crash(holders.get(0));
        c.crash(holders.get(1));
        Versioned got = await(c, stores.get(client).get(key)).orElseThrow();
        assertArrayEquals(b("precious"), got.value());
        // republish and repair bring the copies back to r = 3 on the new closest live peers
        c.sim().runFor(150_000);
        for (SimDhtCluster.Peer h : trueHolders(c, "a", pods.path(), 3)) {
            DhtRecord r = h.node.readVerified(pods.path(), "db");
            assertNotNull(r, "new holder " + h.index + " lacks the record");
        }
        c.checkInvariants();
    }

    @Test
    void concurrentCompareAndSetHasExactlyOneWinner() {
        SimDhtCluster c = cluster(DhtConfig.defaults(), 20);
        ObjectKey key = pods.object("cfg");
        Versioned v1 = await(c, stores.get(3).put(key, b("v1"), Precondition.NONE));
        CompletableFuture<Versioned> a = stores.get(5).put(key, b("from-5"), Precondition.revisionEquals(v1.revision()));
        CompletableFuture<Versioned> bb = stores.get(11).put(key, b("from-11"), Precondition.revisionEquals(v1.revision()));
        c.sim().runUntil(() -> a.isDone() && bb.isDone(), 60_000);
        int ok = 0;
        int conflicts = 0;
        for (CompletableFuture<Versioned> f : List.of(a, bb)) {
            try {
                f.join();
                ok++;
            } catch (CompletionException e) {
                assertEquals(StoreException.Reason.CONFLICT, ((StoreException) e.getCause()).reason());
                conflicts++;
            }
        }
        assertEquals(1, ok);
        assertEquals(1, conflicts);
    }

    @Test
    void watchDeliversInOrderAndResumesAfterThePrimaryDies() {
        SimDhtCluster c = cluster(DhtConfig.defaults(), 20);
        List<SimDhtCluster.Peer> holders = trueHolders(c, "a", pods.path(), 3);
        int watcher = 0;
        while (holders.contains(c.peer(watcher))) {
            watcher += 2; // site a
        }
        int writer = watcher + 2;
        while (holders.contains(c.peer(writer))) {
            writer += 2;
        }
        ClusterStoreContractTest.Recorder rec = new ClusterStoreContractTest.Recorder();
        await(c, stores.get(writer).put(pods.object("p0"), b("0"), Precondition.NONE));
        long from = await(c, stores.get(watcher).list(pods)).revision();
        stores.get(watcher).watch(pods, from, rec);
        c.sim().runFor(2_000);
        for (int i = 1; i <= 3; i++) {
            await(c, stores.get(writer).put(pods.object("p" + i), b("" + i), Precondition.NONE));
        }
        c.crash(holders.get(0)); // the primary
        for (int i = 4; i <= 6; i++) {
            await(c, stores.get(writer).put(pods.object("p" + i), b("" + i), Precondition.NONE));
        }
        c.sim().runFor(30_000);
        assertNull(rec.gone);
        assertEquals(List.of("ADDED:p1", "ADDED:p2", "ADDED:p3", "ADDED:p4", "ADDED:p5", "ADDED:p6"), rec.summary());
        long prev = from;
        for (WatchEvent e : rec.events) {
            assertTrue(e.object().revision() > prev);
            prev = e.object().revision();
        }
        stores.values().forEach(DhtClusterStore::checkInvariants);
    }

    @Test
    void restartingEveryPeerFromItsDataDirLosesNothing(@TempDir Path dir) {
        SimDhtCluster c = new SimDhtCluster(SEED, DhtConfig.defaults(), LatencyModel.constant(5));
        c.storage(i -> MvRecordStorage.open(dir.resolve("peer" + i), 1 << 20));
        c.onStart(p -> stores.put(p.index, new DhtClusterStore(p.node)));
        c.grow(6, List.of("a"));
        Map<String, Long> written = new TreeMap<>();
        for (int i = 0; i < 10; i++) {
            Versioned v = await(c, stores.get(i % 6).put(pods.object("o" + i), b("v" + i), Precondition.NONE));
            written.put("o" + i, v.revision());
        }
        await(c, stores.get(0).delete(pods.object("o3"), Precondition.NONE));
        for (SimDhtCluster.Peer p : c.peers()) {
            c.crash(p);
        }
        c.sim().runFor(10_000);
        c.restart(c.peer(0), List.of());
        for (int i = 1; i < 6; i++) {
            c.restart(c.peer(i), List.of(c.peer(0)));
        }
        for (int i = 0; i < 10; i++) {
            var got = await(c, stores.get((i + 3) % 6).get(pods.object("o" + i)));
            if (i == 3) {
                assertTrue(got.isEmpty(), "deleted object came back");
            } else {
                assertEquals(written.get("o" + i), got.orElseThrow().revision());
            }
        }
        // revisions continue above everything written before the restart
        Versioned after = await(c, stores.get(1).put(pods.object("o0"), b("new"), Precondition.revisionEquals(written.get("o0"))));
        assertTrue(after.revision() > written.get("o9"));
        for (SimDhtCluster.Peer p : c.peers()) {
            p.node.close();
        }
    }

    @Test
    void forgedRecordsAndSpoofedOriginsAreRejectedAndCounted() {
        SimDhtCluster c = cluster(DhtConfig.defaults(), 20);
        SimDhtCluster.Peer rogue = c.peer(4);
        SimDhtCluster.Peer victim = c.peer(9);
        SimDhtCluster.Peer honest = c.peer(7);
        DhtRecord genuine = honest.node.sign("x/y", "n", b("real"), 100, 0);
        DhtRecord altered = new DhtRecord("x/y", "n", b("evil"), genuine.revision(), genuine.writer(), genuine.homeSite(),
                0, genuine.signerKey(), genuine.signature());
        DhtRecord unsigned = DhtRecord.unsigned("x/y", "m", b("nosig"), 100, honest.id(), "a", 0);
        var reply = rogue.transport.request(victim.contact.address(),
                new DhtMessages.Store(rogue.contact, List.of(altered, unsigned)), 5_000);
        DhtMessages.StoreAck ack = (DhtMessages.StoreAck) await(c, reply);
        assertEquals(2, ack.rejected());
        assertEquals(2, victim.node.metrics().recordsRejected());
        assertNull(victim.node.readVerified("x/y", "n"));
        // a message whose origin claims another node's id is refused
        var spoof = rogue.transport.request(victim.contact.address(),
                new DhtMessages.Store(honest.contact, List.of(genuine)), 5_000);
        c.sim().runUntil(spoof::isDone, 10_000);
        assertTrue(spoof.isCompletedExceptionally());
        assertEquals(1, victim.node.metrics().spoofedOrigins());
        assertNull(victim.node.readVerified("x/y", "n"));
    }
}
