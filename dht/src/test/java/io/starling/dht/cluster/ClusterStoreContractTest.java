package io.starling.dht.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.starling.dht.store.ClusterStore;
import io.starling.dht.store.CollectionKey;
import io.starling.dht.store.ListResult;
import io.starling.dht.store.ObjectKey;
import io.starling.dht.store.Precondition;
import io.starling.dht.store.StoreException;
import io.starling.dht.store.Versioned;
import io.starling.dht.store.Watch;
import io.starling.dht.store.WatchEvent;
import io.starling.dht.store.WatchListener;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The semantics every {@link ClusterStore} must share with the reference MemoryClusterStore; run
 * against the memory store and against the DHT-backed store in a simulated cluster.
 */
abstract class ClusterStoreContractTest {
    /** A store plus a way to drive its event loop(s) until a future completes. */
    interface Fixture {
        ClusterStore store();

        <T> T await(CompletableFuture<T> f);

        /** Lets queued work (watch pushes) happen. */
        void settle();
    }

    protected abstract Fixture create();

    Fixture fx;
    ClusterStore store;
    final CollectionKey pods = CollectionKey.of("", "pods", "team-a");

    @BeforeEach
    void setUp() {
        fx = create();
        store = fx.store();
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    StoreException.Reason failure(CompletableFuture<?> f) {
        CompletionException e = assertThrows(CompletionException.class, () -> fx.await(f));
        assertTrue(e.getCause() instanceof StoreException, "expected StoreException, got " + e.getCause());
        return ((StoreException) e.getCause()).reason();
    }

    Versioned put(String name, String value, Precondition p) {
        return fx.await(store.put(pods.object(name), b(value), p));
    }

    @Test
    void putThenGetReturnsTheValueAndRevision() {
        Versioned v = put("web", "v1", Precondition.MUST_NOT_EXIST);
        assertTrue(v.revision() > 0);
        Versioned got = fx.await(store.get(pods.object("web"))).orElseThrow();
        assertArrayEquals(b("v1"), got.value());
        assertEquals(v.revision(), got.revision());
        assertEquals(pods.object("web"), got.key());
        assertFalse(got.homeSite().isEmpty());
        assertTrue(fx.await(store.get(pods.object("missing"))).isEmpty());
    }

    @Test
    void createTwiceIsAlreadyExists() {
        put("web", "v1", Precondition.MUST_NOT_EXIST);
        assertEquals(StoreException.Reason.ALREADY_EXISTS, failure(store.put(pods.object("web"), b("v2"), Precondition.MUST_NOT_EXIST)));
    }

    @Test
    void staleRevisionIsConflictAndCurrentRevisionWins() {
        Versioned v1 = put("web", "v1", Precondition.NONE);
        Versioned v2 = put("web", "v2", Precondition.revisionEquals(v1.revision()));
        assertTrue(v2.revision() > v1.revision());
        assertEquals(StoreException.Reason.CONFLICT, failure(store.put(pods.object("web"), b("v3"),
                Precondition.revisionEquals(v1.revision()))));
        assertArrayEquals(b("v2"), fx.await(store.get(pods.object("web"))).orElseThrow().value());
    }

    @Test
    void conditionsOnAbsentObjectsAreNotFound() {
        assertEquals(StoreException.Reason.NOT_FOUND, failure(store.put(pods.object("x"), b("v"), Precondition.MUST_EXIST)));
        assertEquals(StoreException.Reason.NOT_FOUND, failure(store.put(pods.object("x"), b("v"), Precondition.revisionEquals(5))));
        assertEquals(StoreException.Reason.NOT_FOUND, failure(store.delete(pods.object("x"), Precondition.NONE)));
    }

    @Test
    void deleteLeavesNothingAndCanBeRecreated() {
        Versioned v1 = put("web", "v1", Precondition.NONE);
        Versioned tomb = fx.await(store.delete(pods.object("web"), Precondition.revisionEquals(v1.revision())));
        assertTrue(tomb.deleted());
        assertTrue(tomb.revision() > v1.revision());
        assertTrue(fx.await(store.get(pods.object("web"))).isEmpty());
        assertEquals(StoreException.Reason.NOT_FOUND, failure(store.delete(pods.object("web"), Precondition.NONE)));
        assertEquals(StoreException.Reason.NOT_FOUND, failure(store.put(pods.object("web"), b("v"), Precondition.revisionEquals(tomb.revision()))));
        Versioned again = put("web", "v2", Precondition.MUST_NOT_EXIST);
        assertTrue(again.revision() > tomb.revision());
    }

    @Test
    void listReturnsLiveObjectsByNameWithACoveringRevision() {
        Versioned a = put("b-pod", "1", Precondition.NONE);
        Versioned c = put("a-pod", "2", Precondition.NONE);
        put("c-pod", "3", Precondition.NONE);
        fx.await(store.delete(pods.object("c-pod"), Precondition.NONE));
        put("other", "x", Precondition.NONE);
        fx.await(store.put(CollectionKey.of("", "pods", "team-b").object("elsewhere"), b("y"), Precondition.NONE));
        ListResult l = fx.await(store.list(pods));
        assertEquals(List.of("a-pod", "b-pod", "other"), l.items().stream().map(v -> v.key().name()).toList());
        assertTrue(l.revision() >= Math.max(a.revision(), c.revision()));
        for (Versioned v : l.items()) {
            assertTrue(l.revision() >= v.revision());
        }
    }

    static final class Recorder implements WatchListener {
        final List<WatchEvent> events = new ArrayList<>();
        String gone;

        @Override
        public void onEvent(WatchEvent event) {
            events.add(event);
        }

        @Override
        public void onGone(String why) {
            gone = why;
        }

        List<String> summary() {
            return events.stream().map(e -> e.type() + ":" + e.object().key().name()).toList();
        }
    }

    @Test
    void watchFromListRevisionSeesLaterChangesInOrder() {
        put("before", "0", Precondition.NONE);
        ListResult l = fx.await(store.list(pods));
        Recorder r = new Recorder();
        Watch w = store.watch(pods, l.revision(), r);
        fx.settle();
        Versioned v1 = put("web", "1", Precondition.NONE);
        put("web", "2", Precondition.revisionEquals(v1.revision()));
        fx.await(store.delete(pods.object("web"), Precondition.NONE));
        fx.settle();
        assertEquals(List.of("ADDED:web", "MODIFIED:web", "DELETED:web"), r.summary());
        assertArrayEquals(b("2"), r.events.get(2).previous());
        long prev = l.revision();
        for (WatchEvent e : r.events) {
            assertTrue(e.object().revision() > prev, "revisions must increase");
            prev = e.object().revision();
        }
        assertNull(r.gone);
        w.close();
        fx.settle();
        put("after-close", "x", Precondition.NONE);
        fx.settle();
        assertEquals(3, r.events.size());
    }

    @Test
    void watchResumesFromAnIntermediateRevision() {
        Versioned v1 = put("a", "1", Precondition.NONE);
        Versioned v2 = put("b", "2", Precondition.NONE);
        put("c", "3", Precondition.NONE);
        Recorder r = new Recorder();
        store.watch(pods, v1.revision(), r);
        fx.settle();
        assertEquals(List.of("ADDED:b", "ADDED:c"), r.summary());
        assertEquals(v2.revision(), r.events.get(0).object().revision());
    }

    @Test
    void watchFromNowSeesOnlyLaterChanges() {
        put("old", "1", Precondition.NONE);
        Recorder r = new Recorder();
        store.watch(pods, 0, r);
        fx.settle();
        put("new", "2", Precondition.NONE);
        fx.settle();
        assertEquals(List.of("ADDED:new"), r.summary());
    }

    @Test
    void revisionsOfACollectionStrictlyIncrease() {
        long prev = 0;
        for (int i = 0; i < 20; i++) {
            Versioned v = put("obj-" + (i % 3), "v" + i, Precondition.NONE);
            assertTrue(v.revision() > prev);
            prev = v.revision();
        }
    }
}
