package io.starling.dht.cluster;

import io.starling.core.exec.Cancellable;
import io.starling.core.exec.EventLoop;
import io.starling.core.net.Contact;
import io.starling.core.net.Message;
import io.starling.core.net.NodeId;
import io.starling.core.net.PeerAddress;
import io.starling.dht.cluster.ClusterMessages.GetResult;
import io.starling.dht.cluster.ClusterMessages.ListReply;
import io.starling.dht.cluster.ClusterMessages.MergeAck;
import io.starling.dht.cluster.ClusterMessages.PrimaryMerge;
import io.starling.dht.cluster.ClusterMessages.PrimaryGet;
import io.starling.dht.cluster.ClusterMessages.PrimaryList;
import io.starling.dht.cluster.ClusterMessages.PrimaryWrite;
import io.starling.dht.cluster.ClusterMessages.SyncRequest;
import io.starling.dht.cluster.ClusterMessages.WatchAck;
import io.starling.dht.cluster.ClusterMessages.WatchCancel;
import io.starling.dht.cluster.ClusterMessages.WatchPush;
import io.starling.dht.cluster.ClusterMessages.WatchRenew;
import io.starling.dht.cluster.ClusterMessages.WatchSubscribe;
import io.starling.dht.cluster.ClusterMessages.WriteResult;
import io.starling.dht.node.DhtNode;
import io.starling.dht.kube.KubeValueMerge;
import io.starling.dht.record.DhtRecord;
import io.starling.dht.record.MergeConflict;
import io.starling.dht.record.ValueMerge;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@link ClusterStore} on a super-peer, backed by the DHT. Every site keeps its own copy of every
 * collection: an operation goes to the collection's <i>site primary</i>, the closest live member of
 * its site replica set (the r super-peers of this site closest to the location key, from the site
 * directory, no lookup), so reads, writes and watches never wait for another site. Sites exchange
 * changes asynchronously ({@link CrossSiteReplicator}) and merge them per field
 * ({@link ValueMerge}; {@link KubeValueMerge} by default); a dropped concurrent write is reported to
 * {@link #onMergeConflict} listeners at the merging site primary. When the primary does not answer, the next holder is
 * tried and becomes primary (see {@link PrimaryService} for what that implies); precondition
 * failures come back as data and surface as the same {@link StoreException} reasons as
 * {@link io.starling.dht.store.MemoryClusterStore}. Records in every reply are verified; forged ones
 * are dropped and counted in the node's metrics.
 *
 * <p>Watches subscribe at the primary and re-subscribe from the last revision seen when the
 * primary changes, a renew fails or a push was lost; events are deduplicated by revision.
 */
public final class DhtClusterStore implements ClusterStore, AutoCloseable {
    private final DhtNode node;
    private final EventLoop loop;
    private final PrimaryService primary;
    private final CrossSiteReplicator crossSite;
    private final List<Consumer<MergeConflict>> conflictListeners = new CopyOnWriteArrayList<>();
    private final Map<Long, DhtWatch> watches = new LinkedHashMap<>();
    private long nextWatchId = 1;
    private boolean closed;

    /** A store merging Kubernetes JSON per field across sites ({@link KubeValueMerge}). */
    public DhtClusterStore(DhtNode node) {
        this(node, KubeValueMerge.INSTANCE);
    }

    /** A store merging other sites' versions with {@code merger}. */
    public DhtClusterStore(DhtNode node, ValueMerge merger) {
        this.node = node;
        this.loop = node.loop();
        this.primary = new PrimaryService(node, merger, this::reportConflict);
        this.crossSite = new CrossSiteReplicator(node, primary::mergeWriting);
        node.registerHandler(PrimaryMerge.class, (s, a, m) -> accepted(s, ((PrimaryMerge) m).origin())
                ? mergeFromSite((PrimaryMerge) m).thenApply(Message.class::cast) : rejectedOrigin());
        node.registerHandler(PrimaryWrite.class, (s, a, m) -> sameSite(s, ((PrimaryWrite) m).origin())
                ? primary.write((PrimaryWrite) m).thenApply(Message.class::cast) : rejectedOrigin());
        node.registerHandler(PrimaryGet.class, (s, a, m) -> sameSite(s, ((PrimaryGet) m).origin())
                ? primary.get((PrimaryGet) m).thenApply(Message.class::cast) : rejectedOrigin());
        node.registerHandler(PrimaryList.class, (s, a, m) -> sameSite(s, ((PrimaryList) m).origin())
                ? primary.list((PrimaryList) m).thenApply(Message.class::cast) : rejectedOrigin());
        node.registerHandler(SyncRequest.class, (s, a, m) -> sameSite(s, ((SyncRequest) m).origin())
                ? CompletableFuture.completedFuture(primary.sync((SyncRequest) m)) : rejectedOrigin());
        node.registerHandler(WatchSubscribe.class, (s, a, m) -> {
            WatchSubscribe w = (WatchSubscribe) m;
            if (!sameSite(s, w.origin())) {
                return rejectedOrigin();
            }
            PeerAddress to = w.origin().address();
            return primary.subscribe(s, w, push -> node.transport().send(to, push)).thenApply(Message.class::cast);
        });
        node.registerHandler(WatchRenew.class, (s, a, m) -> accepted(s, ((WatchRenew) m).origin())
                ? CompletableFuture.completedFuture(primary.renew(s, (WatchRenew) m)) : rejectedOrigin());
        node.registerHandler(WatchCancel.class, (s, a, m) -> {
            if (accepted(s, ((WatchCancel) m).origin())) {
                primary.cancel(s, (WatchCancel) m);
            }
            return null;
        });
        node.registerHandler(WatchPush.class, (s, a, m) -> {
            if (node.isMember(s)) { // pushes come from site primaries, never from other peers
                onPush((WatchPush) m);
            }
            return null;
        });
    }

    private boolean accepted(NodeId sender, Contact origin) {
        return node.acceptOrigin(sender, origin);
    }

    /**
     * Primary requests (site-local data) are served to super-peers of this site only, so a wrong
     * site-directory entry can never make another site's super-peer a holder of this site's copy.
     */
    private boolean sameSite(NodeId sender, Contact origin) {
        return accepted(sender, origin) && origin.site().equals(node.self().site());
    }

    private static CompletableFuture<Message> rejectedOrigin() {
        return CompletableFuture.failedFuture(new IllegalArgumentException("origin does not match the authenticated sender"));
    }

    public DhtNode node() {
        return node;
    }

    /**
     * Registers a listener for concurrent same-field writes that a cross-site merge dropped. Runs on
     * the node's event loop at the site primary that merged; every site that merges the two
     * versions reports the conflict with the same {@link MergeConflict#id()}.
     */
    public void onMergeConflict(Consumer<MergeConflict> listener) {
        conflictListeners.add(listener);
    }

    private void reportConflict(MergeConflict c) {
        for (Consumer<MergeConflict> l : conflictListeners) {
            try {
                l.accept(c);
            } catch (RuntimeException e) {
                java.util.logging.Logger.getLogger(DhtClusterStore.class.getName())
                        .log(java.util.logging.Level.WARNING, "merge conflict listener failed", e);
            }
        }
    }

    /** Another site's versions: merged at this site's primary of the collection (forwarded there once). */
    private CompletableFuture<MergeAck> mergeFromSite(PrimaryMerge m) {
        if (m.forwarded() != m.origin().site().equals(node.self().site())) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a merge is forwarded only inside a site"));
        }
        if (!DhtNode.siteReplicated(m.collection())) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not a site-replicated collection: "
                    + m.collection()));
        }
        if (m.forwarded()) {
            return primary.merge(m);
        }
        PrimaryMerge forward = new PrimaryMerge(node.self(), m.collection(), m.records(), true);
        return atPrimary(m.collection(), forward, () -> primary.merge(forward), (reply, h) -> (MergeAck) reply);
    }

    /**
     * Cross-site changes this node, as site primary, has not yet had acknowledged by every other
     * known site ((collection, site) pairs). Event-loop use; 0 once replication caught up.
     */
    public CompletableFuture<Integer> crossSitePending() {
        return onLoop(() -> CompletableFuture.completedFuture(crossSite.pending()));
    }

    private <T> CompletableFuture<T> onLoop(Supplier<CompletableFuture<T>> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Runnable run = () -> {
            try {
                work.get().whenComplete((v, e) -> {
                    if (e != null) {
                        f.completeExceptionally(e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                                ? e.getCause() : e);
                    } else {
                        f.complete(v);
                    }
                });
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        };
        if (loop.inEventLoop()) {
            run.run();
        } else {
            loop.execute(run);
        }
        return f;
    }

    // ------------------------------------------------------------ routing

    /** The site replica set of a collection, nearest first, from the site directory (no messages). */
    CompletableFuture<List<Contact>> route(String collection) {
        return CompletableFuture.completedFuture(node.siteReplicaSet(DhtRecord.locationKeyOf(collection)));
    }

    /** A holder failed: the node marks it down in the site directory, so the next route skips it. */
    private void invalidate(String collection) {
    }

    /**
     * Runs {@code call} at the primary, falling back to the next holders when one does not answer.
     * {@code local} handles the case where this node is the holder.
     */
    private <T> CompletableFuture<T> atPrimary(String collection, Message request,
                                              Supplier<CompletableFuture<? extends Message>> local,
                                              BiFunction<Message, Contact, T> interpret) {
        return route(collection).thenCompose(holders -> attempt(collection, holders, 0, request, local, interpret));
    }

    private <T> CompletableFuture<T> attempt(String collection, List<Contact> holders, int i, Message request,
                                            Supplier<CompletableFuture<? extends Message>> local,
                                            BiFunction<Message, Contact, T> interpret) {
        if (i >= holders.size()) {
            return CompletableFuture.failedFuture(new StoreException(StoreException.Reason.UNAVAILABLE,
                    "no replica holder of " + collection + " answered"));
        }
        Contact h = holders.get(i);
        CompletableFuture<? extends Message> reply = h.id().equals(node.self().id()) ? local.get()
                : node.request(h, request, node.primaryTimeoutMillis());
        CompletableFuture<T> out = new CompletableFuture<>();
        reply.whenComplete((m, e) -> {
            if (e != null) {
                invalidate(collection);
                attempt(collection, holders, i + 1, request, local, interpret).whenComplete((v, e2) -> {
                    if (e2 != null) {
                        out.completeExceptionally(e2);
                    } else {
                        out.complete(v);
                    }
                });
                return;
            }
            try {
                out.complete(interpret.apply(m, h));
            } catch (RuntimeException ex) {
                out.completeExceptionally(ex);
            }
        });
        return out;
    }

    private DhtRecord verified(DhtRecord r, String collection, String name) {
        if (r == null) {
            return null;
        }
        if (!node.verify(r) || !r.collection().equals(collection) || (name != null && !r.name().equals(name))) {
            node.countRejected();
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "replica returned a record that does not verify");
        }
        return r;
    }

    // ------------------------------------------------------------ ClusterStore

    @Override
    public CompletableFuture<Optional<Versioned>> get(ObjectKey key) {
        String c = key.collection().path();
        PrimaryGet req = new PrimaryGet(node.self(), c, key.name());
        return onLoop(() -> atPrimary(c, req, () -> primary.get(req), (m, h) -> {
            DhtRecord r = verified(((GetResult) m).record(), c, key.name());
            return r == null || r.tombstone() ? Optional.<Versioned>empty() : Optional.of(Records.toVersioned(r));
        }));
    }

    @Override
    public CompletableFuture<ListResult> list(CollectionKey collection) {
        String c = collection.path();
        PrimaryList req = new PrimaryList(node.self(), c);
        return onLoop(() -> atPrimary(c, req, () -> primary.list(req), (m, h) -> {
            ListReply reply = (ListReply) m;
            List<Versioned> items = new ArrayList<>();
            for (DhtRecord r : reply.records()) {
                if (node.verify(r) && r.collection().equals(c)) {
                    if (!r.tombstone()) {
                        items.add(Records.toVersioned(r));
                    }
                } else {
                    node.countRejected();
                }
            }
            return new ListResult(items, reply.revision());
        }));
    }

    @Override
    public CompletableFuture<Versioned> put(ObjectKey key, byte[] value, Precondition precondition) {
        return putWithTtl(key, value, precondition, 0);
    }

    /** A put of soft state: the record expires {@code ttlMillis} after the write (0 = permanent). */
    public CompletableFuture<Versioned> putWithTtl(ObjectKey key, byte[] value, Precondition precondition, long ttlMillis) {
        if (value == null) {
            throw new IllegalArgumentException("value must not be null; use delete");
        }
        if (ttlMillis < 0) {
            throw new IllegalArgumentException("ttlMillis must be >= 0");
        }
        return write(key, value.clone(), false, precondition, ttlMillis);
    }

    @Override
    public CompletableFuture<Versioned> delete(ObjectKey key, Precondition precondition) {
        return write(key, null, true, precondition, 0);
    }

    private CompletableFuture<Versioned> write(ObjectKey key, byte[] value, boolean delete, Precondition precondition, long ttl) {
        String c = key.collection().path();
        PrimaryWrite req = new PrimaryWrite(node.self(), c, key.name(), value, delete, precondition, ttl);
        return onLoop(() -> atPrimary(c, req, () -> primary.write(req), (m, h) -> {
            WriteResult w = (WriteResult) m;
            if (w.error() != null) {
                StoreException.Reason reason;
                try {
                    reason = StoreException.Reason.valueOf(w.error());
                } catch (IllegalArgumentException e) {
                    reason = StoreException.Reason.UNAVAILABLE;
                }
                DhtRecord cur = w.current() == null ? null : verified(w.current(), c, key.name());
                throw new StoreException(reason, w.message(), Records.toVersioned(cur));
            }
            return Records.toVersioned(verified(w.record(), c, key.name()));
        }));
    }

    // ------------------------------------------------------------ watch

    @Override
    public Watch watch(CollectionKey collection, long fromRevision, WatchListener listener) {
        DhtWatch w = new DhtWatch(collection.path(), fromRevision, listener);
        loop.execute(w::subscribe);
        return () -> loop.execute(w::close);
    }

    private void onPush(WatchPush push) {
        DhtWatch w = watches.get(push.watchId());
        if (w != null) {
            w.onPush(push);
        }
    }

    /** One watch: follows the collection's primary, resumes from the last revision it delivered. */
    private final class DhtWatch {
        final String collection;
        final WatchListener listener;
        long lastRevision;
        long watchId;
        Contact holder;
        Cancellable renewTimer = Cancellable.NONE;
        boolean subscribing;
        boolean closed;

        DhtWatch(String collection, long fromRevision, WatchListener listener) {
            this.collection = collection;
            this.lastRevision = fromRevision;
            this.listener = listener;
        }

        void subscribe() {
            if (closed || subscribing || DhtClusterStore.this.closed) {
                return;
            }
            subscribing = true;
            dropSubscription();
            long id = nextWatchId++;
            watchId = id;
            watches.put(id, this);
            WatchSubscribe req = new WatchSubscribe(node.self(), id, collection, lastRevision);
            atPrimary(collection, req,
                    () -> primary.subscribe(node.self().id(), req, push -> loop.execute(() -> onPush(push))),
                    (m, h) -> {
                        onAck(id, (WatchAck) m, h);
                        return null;
                    }).whenComplete((v, e) -> {
                        subscribing = false;
                        if (e != null && !closed) {
                            // nobody answered: try again after a renew period
                            renewTimer = loop.schedule(node.config().watchRenewMillis(), this::subscribe);
                        }
                    });
        }

        void onAck(long id, WatchAck ack, Contact h) {
            if (closed || id != watchId) {
                return;
            }
            if (ack.gone()) {
                closed = true;
                watches.remove(id);
                listener.onGone("revision " + lastRevision + " is older than the kept history of " + collection);
                return;
            }
            holder = h;
            if (lastRevision == 0) {
                lastRevision = ack.startRevision();
            }
            renewTimer.cancel();
            renewTimer = loop.schedule(node.config().watchRenewMillis(), this::renew);
        }

        void onPush(WatchPush p) {
            if (closed || p.watchId() != watchId) {
                return;
            }
            DhtRecord r = p.record();
            if (!node.verify(r) || !r.collection().equals(collection)) {
                node.countRejected();
                return;
            }
            if (r.revision() <= lastRevision) {
                return; // duplicate after a re-subscription
            }
            if (lastRevision > 0 && p.prevRevision() > lastRevision) {
                resubscribe(); // a push was lost
                return;
            }
            lastRevision = r.revision();
            listener.onEvent(new WatchEvent(WatchEvent.Type.valueOf(p.type()), Records.toVersioned(r), p.previous()));
        }

        void renew() {
            if (closed) {
                return;
            }
            route(collection).whenComplete((holders, e) -> {
                if (closed) {
                    return;
                }
                if (e != null || holders.isEmpty() || holder == null || !holders.get(0).id().equals(holder.id())) {
                    resubscribe(); // the primary changed
                    return;
                }
                long id = watchId;
                WatchRenew req = new WatchRenew(node.self(), id, collection);
                CompletableFuture<? extends Message> reply = holder.id().equals(node.self().id())
                        ? CompletableFuture.completedFuture(primary.renew(node.self().id(), req))
                        : node.request(holder, req);
                reply.whenComplete((m, err) -> {
                    if (closed || id != watchId) {
                        return;
                    }
                    if (err != null || !(m instanceof WatchAck ack) || !ack.accepted() || ack.sentRevision() > lastRevision) {
                        invalidate(collection);
                        resubscribe();
                        return;
                    }
                    if (lastRevision > 0) {
                        listener.onProgress(lastRevision);
                    }
                    renewTimer = loop.schedule(node.config().watchRenewMillis(), this::renew);
                });
            });
        }

        void resubscribe() {
            renewTimer.cancel();
            subscribe();
        }

        void dropSubscription() {
            if (watchId != 0) {
                watches.remove(watchId);
                if (holder != null) {
                    WatchCancel cancel = new WatchCancel(node.self(), watchId);
                    if (holder.id().equals(node.self().id())) {
                        primary.cancel(node.self().id(), cancel);
                    } else {
                        node.transport().send(holder.address(), cancel);
                    }
                }
                holder = null;
            }
        }

        void close() {
            if (!closed) {
                closed = true;
                renewTimer.cancel();
                dropSubscription();
            }
        }
    }

    /** Number of watch subscriptions this node serves (for tests and metrics). */
    public int servedSubscriptions() {
        return primary.subscriptionCount();
    }

    public void checkInvariants() {
        primary.checkInvariants();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            for (DhtWatch w : List.copyOf(watches.values())) {
                w.close();
            }
            primary.close();
            crossSite.close();
        }
    }
}
