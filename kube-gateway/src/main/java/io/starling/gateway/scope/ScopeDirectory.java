package io.starling.gateway.scope;

import io.starling.core.exec.EventLoop;
import io.starling.dht.kube.KubeJson;
import io.starling.dht.store.ClusterStore;
import io.starling.dht.store.ListResult;
import io.starling.dht.store.Versioned;
import io.starling.dht.store.Watch;
import io.starling.dht.store.WatchEvent;
import io.starling.dht.store.WatchListener;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This super-peer's view of every Scope object: a list, then a watch of the Scope collection from
 * the listed revision (an informer). Each change rebuilds an immutable {@link ScopeSnapshot}, so a
 * grant or revoke takes effect here as soon as the store delivers the event, on every super-peer
 * alike. A lost watch (410 Gone) or a failed list is answered by relisting after
 * {@link #RETRY_MILLIS}.
 *
 * <p>Events arrive on the store's event loop; the state is guarded by this object's monitor and
 * readers take the volatile snapshot without locking.
 */
public final class ScopeDirectory implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ScopeDirectory.class.getName());
    static final long RETRY_MILLIS = 1_000;

    private final ClusterStore store;
    private final EventLoop loop;
    private final SortedMap<String, Scope> scopes = new TreeMap<>();
    private volatile ScopeSnapshot snapshot = ScopeSnapshot.EMPTY;
    private Watch watch;
    private boolean closed;

    public ScopeDirectory(ClusterStore store, EventLoop loop) {
        this.store = store;
        this.loop = loop;
    }

    /** The current index; {@link ScopeSnapshot#EMPTY} until the first list completed. */
    public ScopeSnapshot snapshot() {
        return snapshot;
    }

    /** Lists the scopes and starts watching; completes once the first list is applied. */
    public CompletableFuture<Void> start() {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        relist(ready);
        return ready;
    }

    private void relist(CompletableFuture<Void> ready) {
        store.list(ScopeResource.collection()).whenComplete((list, err) -> {
            if (err != null) {
                LOG.log(Level.FINE, "cannot list scopes; retrying", err);
                synchronized (this) {
                    if (!closed) {
                        loop.schedule(RETRY_MILLIS, () -> relist(ready));
                    }
                }
                return;
            }
            replace(list);
            ready.complete(null);
        });
    }

    private synchronized void replace(ListResult list) {
        if (closed) {
            return;
        }
        if (watch != null) {
            watch.close();
        }
        scopes.clear();
        for (Versioned v : list.items()) {
            apply(v.key().name(), v.value());
        }
        rebuild();
        watch = store.watch(ScopeResource.collection(), list.revision(), new Listener());
    }

    private void apply(String name, byte[] value) {
        if (value == null) {
            scopes.remove(name);
            return;
        }
        try {
            scopes.put(name, KubeJson.fromBytes(value, Scope.class));
        } catch (RuntimeException e) {
            LOG.warning("ignoring unreadable scope " + name + ": " + e.getMessage());
            scopes.remove(name);
        }
    }

    private void rebuild() {
        snapshot = new ScopeSnapshot(scopes.values());
    }

    private final class Listener implements WatchListener {
        @Override
        public void onEvent(WatchEvent e) {
            synchronized (ScopeDirectory.this) {
                if (closed) {
                    return;
                }
                apply(e.object().key().name(), e.type() == WatchEvent.Type.DELETED || e.object().deleted() ? null : e.object().value());
                rebuild();
            }
        }

        @Override
        public void onGone(String why) {
            relist(new CompletableFuture<>());
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (watch != null) {
            watch.close();
            watch = null;
        }
    }
}
