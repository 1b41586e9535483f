package io.starling.scheduler.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.starling.core.random.SeededRandom;
import io.starling.dht.kube.ObjectClient;
import io.starling.dht.store.MemoryClusterStore;
import io.starling.scheduler.testing.ManualEventLoop;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class LoopBoundStoreTest {
    @Test
    void completionsArePostedToTheBoundLoop() {
        ManualEventLoop storeLoop = new ManualEventLoop();
        ManualEventLoop mine = new ManualEventLoop();
        mine.setInEventLoop(false); // the store's thread is not ours
        ObjectClient raw = new ObjectClient(new MemoryClusterStore(storeLoop, "s1"), storeLoop.clock(), new SeededRandom(1));
        ObjectClient bound = LoopBoundStore.bind(raw, mine, new SeededRandom(2));
        ConfigMap cm = new ConfigMap();
        ObjectMeta m = new ObjectMeta();
        m.setName("x");
        m.setNamespace("default");
        cm.setMetadata(m);
        CompletableFuture<ConfigMap> f = bound.create(cm);
        storeLoop.runUntilIdle();
        assertFalse(f.isDone(), "not completed on the store's loop");
        mine.runUntilIdle();
        assertTrue(f.isDone());
        assertEquals("x", f.join().getMetadata().getName());
    }
}
