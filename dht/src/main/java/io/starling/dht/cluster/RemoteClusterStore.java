package io.starling.dht.cluster;

import io.starling.core.exec.Cancellable;
import io.starling.core.exec.EventLoop;
import io.starling.core.net.InboundHandler;
import io.starling.core.net.Message;
import io.starling.core.net.PeerAddress;
import io.starling.core.net.Transport;
import io.starling.dht.cluster.ClusterMessages.ClientDelete;
import io.starling.dht.cluster.ClusterMessages.ClientGet;
import io.starling.dht.cluster.ClusterMessages.ClientList;
import io.starling.dht.cluster.ClusterMessages.ClientPut;
import io.starling.dht.cluster.ClusterMessages.ClientReply;
import io.starling.dht.cluster.ClusterMessages.ClientWatch;
import io.starling.dht.cluster.ClusterMessages.ClientWatchAck;
import io.starling.dht.cluster.ClusterMessages.ClientWatchCancel;
import io.starling.dht.cluster.ClusterMessages.ClientWatchEvent;
import io.starling.dht.cluster.ClusterMessages.ClientWatchGone;
import io.starling.dht.cluster.ClusterMessages.ClientWatchRenew;
import io.starling.dht.store.ClusterStore;
import io.starling.dht.store.CollectionKey;
import io.starling.dht.store.ListResult;
import io.starling.dht.store.ObjectKey;
import io.starling.dht.store.Precondition;
import io.starling.dht.store.StoreException;
import io.starling.dht.store.Versioned;
import io.starling.dht.store.Watch;
import io.starling.dht.store.WatchListener;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link ClusterStore} on an edge peer: forwards every operation to a super-peer of its site
 * (served by {@link StoreService}). When that super-peer does not answer, it fails over to the next
 * one of the list it was given (in order, wrapping around) and retries once per super-peer; watches
 * re-subscribe at the new super-peer from the last revision they delivered, and events are
 * deduplicated by revision, so a fail-over neither loses nor repeats an event.
 *
 * <p>Wiring: deliver the push messages ({@link ClusterMessages.ClientWatchEvent},
 * {@link ClusterMessages.ClientWatchGone}) arriving on the edge's transport to
 * {@link #inboundHandler()}, e.g. {@code transport.setHandler(remote.inboundHandler())}.
 */
public final class RemoteClusterStore implements ClusterStore, AutoCloseable {
    private final Transport transport;
    private final EventLoop loop;
    private final List<PeerAddress> superPeers;
    private final long requestTimeoutMillis;
    private final long renewMillis;
    private final Map<Long, RemoteWatch> watches = new LinkedHashMap<>();
    private int current;
    private long nextWatchId = 1;
    private long failovers;
    private boolean closed;

    /**
     * @param superPeers super-peers of this edge peer's site, preferred first (e.g. by RTT)
     * @param requestTimeoutMillis per-request timeout; must exceed the super-peer's own fail-over time
     * @param renewMillis how often watches are renewed (and a dead super-peer detected)
     */
    public RemoteClusterStore(Transport transport, EventLoop loop, List<PeerAddress> superPeers,
                              long requestTimeoutMillis, long renewMillis) {
        if (superPeers.isEmpty()) {
            throw new IllegalArgumentException("an edge peer needs at least one super-peer");
        }
        if (requestTimeoutMillis <= 0 || renewMillis <= 0) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        this.transport = transport;
        this.loop = loop;
        this.superPeers = List.copyOf(superPeers);
        this.requestTimeoutMillis = requestTimeoutMillis;
        this.renewMillis = renewMillis;
    }

    /** Handles the pushes of watch subscriptions; other messages get null (not ours). */
    public InboundHandler inboundHandler() {
        return (sender, address, m) -> {
            if (m instanceof ClientWatchEvent e) {
                RemoteWatch w = watches.get(e.watchId());
                if (w != null) {
                    w.onEvent(e);
                }
            } else if (m instanceof ClientWatchGone g) {
                RemoteWatch w = watches.get(g.watchId());
                if (w != null) {
                    w.onGone(g.why());
                }
            }
            return null;
        };
    }

    /** The super-peer currently used. */
    public PeerAddress currentSuperPeer() {
        return superPeers.get(current);
    }

    public long failovers() {
        return failovers;
    }

    private <T> CompletableFuture<T> onLoop(Supplier<CompletableFuture<T>> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Runnable r = () -> work.get().whenComplete((v, e) -> {
            if (e != null) {
                f.completeExceptionally(e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e);
            } else {
                f.complete(v);
            }
        });
        if (loop.inEventLoop()) {
            r.run();
        } else {
            loop.execute(r);
        }
        return f;
    }

    private void failover(int from) {
        if (current == from) {
            current = (current + 1) % superPeers.size();
            failovers++;
        }
    }

    /** Sends to the current super-peer; on a transport failure moves on, trying each at most once. */
    private CompletableFuture<Message> send(Message m, int attemptsLeft) {
        int at = current;
        CompletableFuture<Message> out = new CompletableFuture<>();
        transport.request(superPeers.get(at), m, requestTimeoutMillis).whenComplete((reply, err) -> {
            if (err == null) {
                out.complete(reply);
                return;
            }
            failover(at);
            if (attemptsLeft <= 1 || closed) {
                out.completeExceptionally(new StoreException(StoreException.Reason.UNAVAILABLE,
                        "no super-peer answered: " + err.getMessage()));
                return;
            }
            send(m, attemptsLeft - 1).whenComplete((r2, e2) -> {
                if (e2 != null) {
                    out.completeExceptionally(e2);
                } else {
                    out.complete(r2);
                }
            });
        });
        return out;
    }

    private <T> CompletableFuture<T> call(Message m, Function<ClientReply, T> result) {
        return onLoop(() -> send(m, superPeers.size()).thenApply(reply -> {
            if (!(reply instanceof ClientReply r)) {
                throw new StoreException(StoreException.Reason.UNAVAILABLE, "unexpected reply " + reply.getClass().getSimpleName());
            }
            if (r.error() != null) {
                StoreException.Reason reason;
                try {
                    reason = StoreException.Reason.valueOf(r.error());
                } catch (IllegalArgumentException e) {
                    reason = StoreException.Reason.UNAVAILABLE;
                }
                throw new StoreException(reason, r.message(), r.current());
            }
            return result.apply(r);
        }));
    }

    @Override
    public CompletableFuture<Optional<Versioned>> get(ObjectKey key) {
        return call(new ClientGet(key), r -> Optional.ofNullable(r.versioned()));
    }

    @Override
    public CompletableFuture<ListResult> list(CollectionKey collection) {
        return call(new ClientList(collection), ClientReply::list);
    }

    @Override
    public CompletableFuture<Versioned> put(ObjectKey key, byte[] value, Precondition precondition) {
        if (value == null) {
            throw new IllegalArgumentException("value must not be null; use delete");
        }
        return call(new ClientPut(key, value.clone(), precondition), ClientReply::versioned);
    }

    @Override
    public CompletableFuture<Versioned> delete(ObjectKey key, Precondition precondition) {
        return call(new ClientDelete(key, precondition), ClientReply::versioned);
    }

    @Override
    public Watch watch(CollectionKey collection, long fromRevision, WatchListener listener) {
        RemoteWatch w = new RemoteWatch(collection, fromRevision, listener);
        loop.execute(w::subscribe);
        return () -> loop.execute(w::close);
    }

    private final class RemoteWatch {
        final CollectionKey collection;
        final WatchListener listener;
        long lastRevision;
        long watchId;
        PeerAddress at;
        Cancellable timer = Cancellable.NONE;
        boolean subscribing;
        boolean closed;

        RemoteWatch(CollectionKey collection, long fromRevision, WatchListener listener) {
            this.collection = collection;
            this.lastRevision = fromRevision;
            this.listener = listener;
        }

        void subscribe() {
            if (closed || subscribing || RemoteClusterStore.this.closed) {
                return;
            }
            subscribing = true;
            drop();
            long id = nextWatchId++;
            watchId = id;
            watches.put(id, this);
            int idx = current;
            PeerAddress target = superPeers.get(idx);
            transport.request(target, new ClientWatch(id, collection, lastRevision, transport.localAddress()), requestTimeoutMillis)
                    .whenComplete((m, e) -> {
                        subscribing = false;
                        if (closed || id != watchId) {
                            return;
                        }
                        if (e != null || !(m instanceof ClientWatchAck ack) || !ack.accepted()) {
                            failover(idx);
                            timer = loop.schedule(Math.min(renewMillis, 1_000), this::subscribe);
                            return;
                        }
                        at = target;
                        timer = loop.schedule(renewMillis, this::renew);
                    });
        }

        void onEvent(ClientWatchEvent e) {
            if (closed || e.watchId() != watchId) {
                return;
            }
            long rev = e.event().object().revision();
            if (rev <= lastRevision) {
                return;
            }
            if (lastRevision > 0 && e.prevRevision() > lastRevision) {
                timer.cancel();
                subscribe(); // a push was lost: resume from what we have
                return;
            }
            lastRevision = rev;
            listener.onEvent(e.event());
        }

        void onGone(String why) {
            if (!closed) {
                close();
                listener.onGone(why);
            }
        }

        void renew() {
            if (closed) {
                return;
            }
            long id = watchId;
            PeerAddress target = at;
            int idx = superPeers.indexOf(target);
            transport.request(target, new ClientWatchRenew(id), requestTimeoutMillis).whenComplete((m, e) -> {
                if (closed || id != watchId) {
                    return;
                }
                if (e != null) {
                    failover(idx);
                    subscribe();
                    return;
                }
                if (!(m instanceof ClientWatchAck ack) || !ack.accepted() || ack.sentRevision() > lastRevision) {
                    subscribe();
                    return;
                }
                if (lastRevision > 0) {
                    listener.onProgress(lastRevision);
                }
                timer = loop.schedule(renewMillis, this::renew);
            });
        }

        void drop() {
            if (watchId != 0) {
                watches.remove(watchId);
                if (at != null) {
                    transport.send(at, new ClientWatchCancel(watchId));
                }
                at = null;
            }
        }

        void close() {
            if (!closed) {
                closed = true;
                timer.cancel();
                drop();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (RemoteWatch w : List.copyOf(watches.values())) {
            w.close();
        }
    }
}
