package io.starling.scheduler.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.starling.core.random.SeededRandom;
import io.starling.dht.kube.ObjectClient;
import io.starling.dht.kube.Resources;
import io.starling.dht.store.ClusterStore;
import io.starling.dht.store.CollectionKey;
import io.starling.dht.store.ListResult;
import io.starling.dht.store.MemoryClusterStore;
import io.starling.dht.store.ObjectKey;
import io.starling.dht.store.Precondition;
import io.starling.dht.store.Versioned;
import io.starling.dht.store.Watch;
import io.starling.dht.store.WatchEvent;
import io.starling.dht.store.WatchListener;
import io.starling.scheduler.testing.ManualEventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class SharedInformerTest {
    private final ManualEventLoop loop = new ManualEventLoop();
    private final GoneInjectingStore store = new GoneInjectingStore(new MemoryClusterStore(loop, "s1"));
    private final ObjectClient client = new ObjectClient(store, loop.clock(), new SeededRandom(3));
    private final List<String> seen = new ArrayList<>();

    /** Delegates to a real store; the test can cut every live watch with "gone" and hold back events. */
    static final class GoneInjectingStore implements ClusterStore {
        final ClusterStore inner;
        final List<Object[]> watches = new ArrayList<>();
        boolean deaf;

        GoneInjectingStore(ClusterStore inner) {
            this.inner = inner;
        }

        @Override
        public CompletableFuture<Optional<Versioned>> get(ObjectKey key) {
            return inner.get(key);
        }

        @Override
        public CompletableFuture<ListResult> list(CollectionKey c) {
            return inner.list(c);
        }

        @Override
        public CompletableFuture<Versioned> put(ObjectKey key, byte[] value, Precondition p) {
            return inner.put(key, value, p);
        }

        @Override
        public CompletableFuture<Versioned> delete(ObjectKey key, Precondition p) {
            return inner.delete(key, p);
        }

        @Override
        public Watch watch(CollectionKey c, long from, WatchListener l) {
            WatchListener filtered = new WatchListener() {
                @Override
                public void onEvent(WatchEvent e) {
                    if (!deaf) {
                        l.onEvent(e);
                    }
                }
            };
            Watch w = inner.watch(c, from, filtered);
            watches.add(new Object[] {l, w});
            return w;
        }

        void goneAll() {
            for (Object[] x : List.copyOf(watches)) {
                ((Watch) x[1]).close();
                ((WatchListener) x[0]).onGone("injected");
            }
            watches.clear();
        }
    }

    private void ns(String name) {
        Namespace n = new Namespace();
        n.setMetadata(meta(name, null));
        loop.await(client.create(n));
    }

    private static ObjectMeta meta(String name, String ns) {
        ObjectMeta m = new ObjectMeta();
        m.setName(name);
        m.setNamespace(ns);
        return m;
    }

    private void cm(String ns, String name, String value) {
        ConfigMap c = new ConfigMap();
        c.setMetadata(meta(name, ns));
        c.setData(java.util.Map.of("v", value));
        loop.await(client.create(c));
    }

    private SharedInformer<ConfigMap> informer() {
        SharedInformer<ConfigMap> inf = new SharedInformer<>(client, ConfigMap.class, loop);
        inf.addHandler(new InformerHandler<>() {
            @Override
            public void onAdd(ConfigMap o) {
                seen.add("add " + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName());
            }

            @Override
            public void onUpdate(ConfigMap a, ConfigMap b) {
                seen.add("update " + b.getMetadata().getNamespace() + "/" + b.getMetadata().getName());
            }

            @Override
            public void onDelete(ConfigMap o) {
                seen.add("delete " + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName());
            }
        });
        return inf;
    }

    @Test
    void followsAllNamespacesIncludingNewOnesAndKeepsASortedCache() {
        ns("b");
        ns("a");
        cm("b", "x", "1");
        cm("a", "y", "1");
        SharedInformer<ConfigMap> inf = informer();
        assertFalse(inf.hasSynced());
        inf.start();
        loop.runUntilIdle();
        assertTrue(inf.hasSynced());
        assertEquals(List.of("a/y", "b/x"), inf.list().stream()
                .map(c -> c.getMetadata().getNamespace() + "/" + c.getMetadata().getName()).toList());
        ns("c");
        loop.runUntilIdle();
        cm("c", "z", "1");
        loop.runUntilIdle();
        assertEquals("1", inf.get("c", "z").getData().get("v"));
        loop.await(client.delete(Resources.CONFIGMAPS, "a", "y"));
        loop.runUntilIdle();
        assertNull(inf.get("a", "y"));
        assertEquals(List.of("add a/y", "add b/x", "add c/z", "delete a/y"), seen);
    }

    @Test
    void relistsAfterGoneAndReportsWhatChangedMeanwhile() {
        ns("a");
        cm("a", "keep", "1");
        cm("a", "change", "1");
        cm("a", "drop", "1");
        SharedInformer<ConfigMap> inf = informer();
        inf.start();
        loop.runUntilIdle();
        seen.clear();
        store.deaf = true; // changes below are missed by the watch...
        ConfigMap c = loop.await(client.get(ConfigMap.class, "a", "change")).orElseThrow();
        c.setData(java.util.Map.of("v", "2"));
        loop.await(client.update(c));
        loop.await(client.delete(Resources.CONFIGMAPS, "a", "drop"));
        cm("a", "new", "1");
        store.deaf = false;
        store.goneAll(); // ...and the watch is cut
        loop.advance(SharedInformer.RELIST_DELAY_MILLIS + 10);
        assertEquals(List.of("delete a/drop", "update a/change", "add a/new"), seen);
        assertEquals("2", inf.get("a", "change").getData().get("v"));
        cm("a", "after", "1");
        loop.runUntilIdle();
        assertTrue(inf.get("a", "after") != null, "the new watch works");
    }

    @Test
    void clusterScopedResourcesAreWatchedDirectly() {
        SharedInformer<Node> inf = new SharedInformer<>(client, Node.class, loop);
        inf.start();
        loop.runUntilIdle();
        assertTrue(inf.hasSynced());
        Node n = new Node();
        n.setMetadata(meta("n1", null));
        loop.await(client.create(n));
        loop.runUntilIdle();
        assertEquals("n1", inf.get(null, "n1").getMetadata().getName());
    }
}
