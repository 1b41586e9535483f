package io.starling.dht.cluster;

import io.starling.core.exec.Cancellable;
import io.starling.core.exec.EventLoop;
import io.starling.core.net.Message;
import io.starling.core.net.NodeId;
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
import io.starling.dht.node.DhtNode;
import io.starling.dht.store.ClusterStore;
import io.starling.dht.store.StoreException;
import io.starling.dht.store.Watch;
import io.starling.dht.store.WatchEvent;
import io.starling.dht.store.WatchListener;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Serves the {@link ClusterStore} API to the edge peers of a super-peer: each client message is
 * executed against the super-peer's own store (normally its {@link DhtClusterStore}); watches are
 * forwarded as one-way pushes carrying the previous revision (so the edge detects a lost push).
 * Subscriptions an edge stops renewing expire after three renew periods.
 */
public final class StoreService implements AutoCloseable {
    private final ClusterStore store;
    private final Transport transport;
    private final EventLoop loop;
    private final long renewMillis;
    private final Map<String, EdgeWatch> watches = new LinkedHashMap<>();
    private final Cancellable expiry;

    private final class EdgeWatch implements WatchListener {
        final long watchId;
        final PeerAddress replyTo;
        Watch handle;
        long lastSent;
        long renewedAtMillis;
        boolean closed;

        EdgeWatch(long watchId, PeerAddress replyTo, long from) {
            this.watchId = watchId;
            this.replyTo = replyTo;
            this.lastSent = from;
            this.renewedAtMillis = loop.clock().monoMillis();
        }

        @Override
        public void onEvent(WatchEvent event) {
            if (!closed) {
                transport.send(replyTo, new ClientWatchEvent(watchId, event, lastSent));
                lastSent = event.object().revision();
            }
        }

        @Override
        public void onGone(String why) {
            if (!closed) {
                transport.send(replyTo, new ClientWatchGone(watchId, why));
                close();
            }
        }

        void close() {
            closed = true;
            if (handle != null) {
                handle.close();
            }
        }
    }

    /** Serves {@code store} on the transport of {@code node} (handlers are registered with the node). */
    public StoreService(DhtNode node, ClusterStore store) {
        this.store = store;
        this.transport = node.transport();
        this.loop = node.loop();
        this.renewMillis = node.config().watchRenewMillis();
        node.registerHandler(ClientGet.class, (s, a, m) -> reply(store.get(((ClientGet) m).key())
                .thenApply(o -> new ClientReply(o.orElse(null), null, null, null, null))));
        node.registerHandler(ClientList.class, (s, a, m) -> reply(store.list(((ClientList) m).collection())
                .thenApply(l -> new ClientReply(null, l, null, null, null))));
        node.registerHandler(ClientPut.class, (s, a, m) -> {
            ClientPut p = (ClientPut) m;
            if (p.value() == null || p.precondition() == null) {
                return CompletableFuture.completedFuture(new ClientReply(null, null, StoreException.Reason.INVALID.name(),
                        "put needs a value and a precondition", null));
            }
            return reply(store.put(p.key(), p.value(), p.precondition()).thenApply(v -> new ClientReply(v, null, null, null, null)));
        });
        node.registerHandler(ClientDelete.class, (s, a, m) -> {
            ClientDelete d = (ClientDelete) m;
            return reply(store.delete(d.key(), d.precondition()).thenApply(v -> new ClientReply(v, null, null, null, null)));
        });
        node.registerHandler(ClientWatch.class, (s, a, m) -> CompletableFuture.completedFuture(watch(s, (ClientWatch) m)));
        node.registerHandler(ClientWatchRenew.class, (s, a, m) -> {
            EdgeWatch w = watches.get(key(s, ((ClientWatchRenew) m).watchId()));
            if (w == null) {
                return CompletableFuture.completedFuture(new ClientWatchAck(false, 0));
            }
            w.renewedAtMillis = loop.clock().monoMillis();
            return CompletableFuture.completedFuture(new ClientWatchAck(true, w.lastSent));
        });
        node.registerHandler(ClientWatchCancel.class, (s, a, m) -> {
            EdgeWatch w = watches.remove(key(s, ((ClientWatchCancel) m).watchId()));
            if (w != null) {
                w.close();
            }
            return null;
        });
        this.expiry = loop.scheduleAtFixedRate(renewMillis, renewMillis, this::expire);
    }

    private static String key(NodeId sender, long watchId) {
        return sender.toHex() + ":" + watchId;
    }

    private Message watch(NodeId sender, ClientWatch w) {
        String k = key(sender, w.watchId());
        EdgeWatch old = watches.remove(k);
        if (old != null) {
            old.close();
        }
        EdgeWatch ew = new EdgeWatch(w.watchId(), w.replyTo(), w.fromRevision());
        watches.put(k, ew);
        ew.handle = store.watch(w.collection(), w.fromRevision(), ew);
        return new ClientWatchAck(true, w.fromRevision());
    }

    private void expire() {
        long deadline = loop.clock().monoMillis() - 3 * renewMillis;
        watches.values().removeIf(w -> {
            if (w.renewedAtMillis < deadline || w.closed) {
                w.close();
                return true;
            }
            return false;
        });
    }

    private static CompletableFuture<Message> reply(CompletableFuture<ClientReply> op) {
        return op.handle((r, e) -> {
            if (e == null) {
                return r;
            }
            Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (t instanceof StoreException se) {
                return new ClientReply(null, null, se.reason().name(), se.getMessage(), se.current());
            }
            String reason = t instanceof IllegalArgumentException ? StoreException.Reason.INVALID.name()
                    : StoreException.Reason.UNAVAILABLE.name();
            return new ClientReply(null, null, reason, String.valueOf(t.getMessage()), null);
        });
    }

    public int watchCount() {
        return watches.size();
    }

    @Override
    public void close() {
        expiry.cancel();
        for (EdgeWatch w : watches.values()) {
            w.close();
        }
        watches.clear();
    }
}
