package io.starling.scheduler.queue;

import io.starling.core.exec.EventLoop;
import io.starling.core.random.RandomSource;
import io.starling.dht.kube.ObjectClient;
import io.starling.dht.kube.Resources;
import io.starling.dht.store.ClusterStore;
import io.starling.dht.store.CollectionKey;
import io.starling.dht.store.ListResult;
import io.starling.dht.store.ObjectKey;
import io.starling.dht.store.Precondition;
import io.starling.dht.store.Versioned;
import io.starling.dht.store.Watch;
import io.starling.dht.store.WatchEvent;
import io.starling.dht.store.WatchListener;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link ClusterStore} view whose futures complete, and whose watch callbacks run, on a given
 * event loop. The store completes on its own loop, which in a peer may be another thread; with
 * this view every continuation a controller chains onto a store call runs on the controller's loop,
 * so controller state needs no locks. When the store already runs on that loop nothing is re-posted.
 */
public final class LoopBoundStore implements ClusterStore {
    private final ClusterStore inner;
    private final EventLoop loop;

    public LoopBoundStore(ClusterStore inner, EventLoop loop) {
        this.inner = inner;
        this.loop = loop;
    }

    /**
     * An ObjectClient like {@code client} (same store and scope) whose futures complete on
     * {@code loop}; uids and timestamps come from {@code random} and the loop's clock.
     */
    public static ObjectClient bind(ObjectClient client, EventLoop loop, RandomSource random) {
        String scope = client.keyOf(Resources.NAMESPACES, "", "_").collection().scope();
        ClusterStore store = client.store() instanceof LoopBoundStore b && b.loop == loop ? b : new LoopBoundStore(client.store(), loop);
        return new ObjectClient(store, loop.clock(), random, scope);
    }

    private <T> CompletableFuture<T> hop(CompletableFuture<T> f) {
        CompletableFuture<T> out = new CompletableFuture<>();
        f.whenComplete((v, e) -> onLoop(() -> {
            if (e != null) {
                out.completeExceptionally(e);
            } else {
                out.complete(v);
            }
        }));
        return out;
    }

    private void onLoop(Runnable r) {
        if (loop.inEventLoop()) {
            r.run();
        } else {
            loop.execute(r);
        }
    }

    @Override
    public CompletableFuture<Optional<Versioned>> get(ObjectKey key) {
        return hop(inner.get(key));
    }

    @Override
    public CompletableFuture<ListResult> list(CollectionKey collection) {
        return hop(inner.list(collection));
    }

    @Override
    public CompletableFuture<Versioned> put(ObjectKey key, byte[] value, Precondition precondition) {
        return hop(inner.put(key, value, precondition));
    }

    @Override
    public CompletableFuture<Versioned> delete(ObjectKey key, Precondition precondition) {
        return hop(inner.delete(key, precondition));
    }

    @Override
    public Watch watch(CollectionKey collection, long fromRevision, WatchListener listener) {
        return inner.watch(collection, fromRevision, new WatchListener() {
            @Override
            public void onEvent(WatchEvent event) {
                onLoop(() -> listener.onEvent(event));
            }

            @Override
            public void onGone(String why) {
                onLoop(() -> listener.onGone(why));
            }

            @Override
            public void onProgress(long revision) {
                onLoop(() -> listener.onProgress(revision));
            }
        });
    }
}
