package io.starling.dht.store;

import io.starling.core.exec.EventLoop;
import io.starling.core.hlc.HybridClock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * A single-process {@link ClusterStore}: the reference semantics of the interface, used by unit
 * tests of the upper layers and by the simulator's quick scenarios. Not replicated, not durable;
 * production peers use the DHT-backed store. All work runs on the given event loop.
 */
public final class MemoryClusterStore implements ClusterStore {
    /** How many past events per collection a watch can resume from before it gets "gone". */
    private final int historyPerCollection;
    private final EventLoop loop;
    private final HybridClock hlc;
    private final String site;
    private final Map<CollectionKey, Collection> collections = new TreeMap<>();

    public MemoryClusterStore(EventLoop loop, String site, int historyPerCollection) {
        this.loop = loop;
        this.hlc = new HybridClock(loop.clock());
        this.site = site;
        this.historyPerCollection = historyPerCollection;
    }

    public MemoryClusterStore(EventLoop loop, String site) {
        this(loop, site, 1000);
    }

    private final class Collection {
        final TreeMap<String, Versioned> objects = new TreeMap<>();
        final Deque<WatchEvent> history = new ArrayDeque<>();
        final Set<Subscriber> subscribers = new LinkedHashSet<>();
        long revision;
        long oldestResumable;

        void append(WatchEvent e) {
            history.addLast(e);
            if (history.size() > historyPerCollection) {
                oldestResumable = history.removeFirst().object().revision();
            }
            revision = e.object().revision();
            for (Subscriber s : List.copyOf(subscribers)) {
                s.listener.onEvent(e);
            }
        }
    }

    private record Subscriber(WatchListener listener) {}

    private Collection collection(CollectionKey key) {
        return collections.computeIfAbsent(key, k -> new Collection());
    }

    private <T> CompletableFuture<T> onLoop(java.util.function.Supplier<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                f.complete(work.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    @Override
    public CompletableFuture<Optional<Versioned>> get(ObjectKey key) {
        return onLoop(() -> {
            Versioned v = collection(key.collection()).objects.get(key.name());
            return v == null || v.deleted() ? Optional.empty() : Optional.of(v);
        });
    }

    @Override
    public CompletableFuture<ListResult> list(CollectionKey key) {
        return onLoop(() -> {
            Collection c = collection(key);
            List<Versioned> live = new ArrayList<>();
            for (Versioned v : c.objects.values()) {
                if (!v.deleted()) {
                    live.add(v);
                }
            }
            return new ListResult(live, Math.max(c.revision, hlc.current()));
        });
    }

    @Override
    public CompletableFuture<Versioned> put(ObjectKey key, byte[] value, Precondition precondition) {
        if (value == null) {
            throw new IllegalArgumentException("value must not be null; use delete");
        }
        return onLoop(() -> write(key, value.clone(), precondition));
    }

    @Override
    public CompletableFuture<Versioned> delete(ObjectKey key, Precondition precondition) {
        return onLoop(() -> {
            Versioned cur = collection(key.collection()).objects.get(key.name());
            if (cur == null || cur.deleted()) {
                throw new StoreException(StoreException.Reason.NOT_FOUND, key + " not found");
            }
            return write(key, null, precondition);
        });
    }

    private Versioned write(ObjectKey key, byte[] value, Precondition precondition) {
        Collection c = collection(key.collection());
        Versioned cur = c.objects.get(key.name());
        if (!precondition.admits(cur)) {
            boolean live = cur != null && !cur.deleted();
            StoreException.Reason reason = switch (precondition.kind()) {
                case MUST_NOT_EXIST -> StoreException.Reason.ALREADY_EXISTS;
                case MUST_EXIST -> StoreException.Reason.NOT_FOUND;
                default -> live ? StoreException.Reason.CONFLICT : StoreException.Reason.NOT_FOUND;
            };
            throw new StoreException(reason, key + ": precondition " + precondition.kind() + " failed", cur);
        }
        Versioned next = new Versioned(key, value, hlc.next(), site);
        c.objects.put(key.name(), next);
        boolean existed = cur != null && !cur.deleted();
        WatchEvent.Type type = value == null ? WatchEvent.Type.DELETED
                : existed ? WatchEvent.Type.MODIFIED : WatchEvent.Type.ADDED;
        c.append(new WatchEvent(type, next, existed ? cur.value() : null));
        return next;
    }

    @Override
    public Watch watch(CollectionKey key, long fromRevision, WatchListener listener) {
        Subscriber sub = new Subscriber(listener);
        loop.execute(() -> {
            Collection c = collection(key);
            if (fromRevision > 0) {
                if (fromRevision < c.oldestResumable) {
                    listener.onGone("revision " + fromRevision + " is older than the kept history");
                    return;
                }
                for (WatchEvent e : List.copyOf(c.history)) {
                    if (e.object().revision() > fromRevision) {
                        listener.onEvent(e);
                    }
                }
            }
            c.subscribers.add(sub);
        });
        return () -> loop.execute(() -> collection(key).subscribers.remove(sub));
    }
}
