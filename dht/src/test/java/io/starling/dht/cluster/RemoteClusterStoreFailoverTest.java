package io.starling.dht.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.starling.dht.store.CollectionKey;
import io.starling.dht.store.Precondition;
import io.starling.dht.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class RemoteClusterStoreFailoverTest {
    final CollectionKey nodes = CollectionKey.of("", "nodes", "");

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    <T> T await(EdgeFixture f, CompletableFuture<T> fut) {
        f.cluster.sim().runUntil(fut::isDone, 120_000);
        return fut.join();
    }

    @Test
    void edgeFailsOverToAnotherSuperPeerOfItsSiteAndItsWatchResumes() {
        EdgeFixture f = new EdgeFixture(5, List.of(1, 3));
        ClusterStoreContractTest.Recorder rec = new ClusterStoreContractTest.Recorder();
        await(f, f.edge.put(nodes.object("pi-1"), b("ready"), Precondition.NONE));
        long from = await(f, f.edge.list(nodes)).revision();
        f.edge.watch(nodes, from, rec);
        f.cluster.sim().runFor(1_000);
        await(f, f.stores.get(0).put(nodes.object("pi-2"), b("1"), Precondition.NONE));
        f.cluster.sim().runFor(1_000);
        f.cluster.crash(f.cluster.peer(1)); // the edge's super-peer
        await(f, f.stores.get(0).put(nodes.object("pi-3"), b("2"), Precondition.NONE));
        var v = await(f, f.edge.put(nodes.object("pi-4"), b("3"), Precondition.NONE));
        assertEquals(f.cluster.peer(3).contact.address(), f.edge.currentSuperPeer());
        f.cluster.sim().runFor(20_000);
        assertNull(rec.gone);
        assertEquals(List.of("ADDED:pi-2", "ADDED:pi-3", "ADDED:pi-4"), rec.summary());
        assertArrayEquals(b("3"), await(f, f.edge.get(nodes.object("pi-4"))).orElseThrow().value());
        assertTrue(v.revision() > from);
        assertTrue(f.edge.failovers() >= 1);
    }

    @Test
    void conflictsTravelToTheEdgeAsConflicts() {
        EdgeFixture f = new EdgeFixture(6, List.of(2));
        var v1 = await(f, f.edge.put(nodes.object("n"), b("1"), Precondition.NONE));
        await(f, f.edge.put(nodes.object("n"), b("2"), Precondition.revisionEquals(v1.revision())));
        var stale = f.edge.put(nodes.object("n"), b("3"), Precondition.revisionEquals(v1.revision()));
        f.cluster.sim().runUntil(stale::isDone, 60_000);
        try {
            stale.join();
            throw new AssertionError("stale write succeeded");
        } catch (CompletionException e) {
            assertEquals(StoreException.Reason.CONFLICT, ((StoreException) e.getCause()).reason());
        }
    }

    @Test
    void noSuperPeerLeftIsUnavailableNotAHang() {
        EdgeFixture f = new EdgeFixture(7, List.of(1));
        f.cluster.crash(f.cluster.peer(1));
        var op = f.edge.get(nodes.object("x"));
        f.cluster.sim().runUntil(op::isDone, 60_000);
        assertTrue(op.isCompletedExceptionally());
        try {
            op.join();
        } catch (CompletionException e) {
            assertEquals(StoreException.Reason.UNAVAILABLE, ((StoreException) e.getCause()).reason());
        }
    }
}
