package io.starling.dht.cluster;

import io.starling.core.exec.Cancellable;
import io.starling.core.net.Contact;
import io.starling.core.net.NodeId;
import io.starling.dht.cluster.ClusterMessages.GetResult;
import io.starling.dht.cluster.ClusterMessages.ListReply;
import io.starling.dht.cluster.ClusterMessages.MergeAck;
import io.starling.dht.cluster.ClusterMessages.PrimaryMerge;
import io.starling.dht.cluster.ClusterMessages.PrimaryGet;
import io.starling.dht.cluster.ClusterMessages.PrimaryList;
import io.starling.dht.cluster.ClusterMessages.PrimaryWrite;
import io.starling.dht.cluster.ClusterMessages.SyncReply;
import io.starling.dht.cluster.ClusterMessages.SyncRequest;
import io.starling.dht.cluster.ClusterMessages.WatchAck;
import io.starling.dht.cluster.ClusterMessages.WatchCancel;
import io.starling.dht.cluster.ClusterMessages.WatchPush;
import io.starling.dht.cluster.ClusterMessages.WatchRenew;
import io.starling.dht.cluster.ClusterMessages.WatchSubscribe;
import io.starling.dht.cluster.ClusterMessages.WriteResult;
import io.starling.dht.node.DhtNode;
import io.starling.dht.record.DhtRecord;
import io.starling.dht.record.FieldClocks;
import io.starling.dht.record.LwwValueMerge;
import io.starling.dht.record.MergeConflict;
import io.starling.dht.record.ValueMerge;
import io.starling.dht.store.StoreException;
import io.starling.dht.store.Versioned;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The server half of the cluster store on one super-peer: what it does when it is (or is asked as)
 * the site primary of a collection, and the change logs and watch subscriptions it keeps. Replica
 * sets are per site ({@link DhtNode#siteReplicaSet}): every site keeps its own copy, and another
 * site's versions arrive through {@link #merge} (cross-site replication).
 *
 * <p><b>Clocks.</b> Every write carries merge clocks ({@link ValueMerge#clocksForWrite}) stamped
 * with (its revision, this site); soft state (a TTL) and opaque values use whole-record
 * last-writer-wins. <b>Merges</b> of another site's version run here like a write: when the merged
 * object differs from this site's, it is stored as a new local write (new revision, so watches and
 * resourceVersions stay monotonic per site) with the merged clocks.
 *
 * <p><b>Writes.</b> The primary checks the precondition against its own copy, assigns the revision
 * from its hybrid logical clock (which has observed every stored revision, so revisions of a
 * collection increase at its primary), signs, persists, replicates to the other holders of its
 * replica set and answers once they acknowledged (or failed: with fewer reachable holders the write
 * is acknowledged by those that are). <b>Fail-over:</b> before serving a collection with a replica
 * set it has not synced with, a node pulls the collection from the other holders and merges it;
 * its clock then lies above every replicated revision, so a new primary continues above them.
 *
 * <p><b>Watches.</b> Every holder appends the changes it stores to a per-collection
 * {@link ChangeLog}; subscribers get committed changes pushed one-way in revision order, each
 * carrying the revision sent before it so a lost push is detected by the watcher, which then
 * re-subscribes from the last revision it saw. Subscriptions not renewed expire.
 */
final class PrimaryService {
    private final DhtNode node;
    private final ValueMerge merger;
    private final Consumer<MergeConflict> conflicts;
    private final Map<String, ChangeLog> logs = new TreeMap<>();
    private final Map<String, Map<String, Sub>> subs = new TreeMap<>();
    private final Map<String, List<NodeId>> syncedWith = new TreeMap<>();
    private final Map<String, CompletableFuture<Void>> syncing = new TreeMap<>();
    private final Cancellable expiry;
    private boolean ownWrite;
    /** True while a merge of another site's versions stores its result (see {@link #mergeWriting}). */
    private boolean mergeWrite;
    private ChangeLog.Entry lastAppended;

    private static final class Sub {
        final String key;
        final long watchId;
        final String collection;
        final Consumer<WatchPush> sink;
        long sentUpTo;
        long renewedAtMillis;

        Sub(String key, long watchId, String collection, Consumer<WatchPush> sink, long sentUpTo, long now) {
            this.key = key;
            this.watchId = watchId;
            this.collection = collection;
            this.sink = sink;
            this.sentUpTo = sentUpTo;
            this.renewedAtMillis = now;
        }
    }

    PrimaryService(DhtNode node, ValueMerge merger, Consumer<MergeConflict> conflicts) {
        this.node = node;
        this.merger = merger;
        this.conflicts = conflicts;
        node.addRecordListener(this::onRecordChanged);
        long renew = node.config().watchRenewMillis();
        this.expiry = node.loop().scheduleAtFixedRate(renew, renew, this::expireSubscriptions);
    }

    private long now() {
        return node.loop().clock().monoMillis();
    }

    // ------------------------------------------------------------ change logs

    private void onRecordChanged(DhtRecord previous, DhtRecord current) {
        ChangeLog log = logs.get(current.collection());
        if (log == null) {
            // a log started with the collection's first record has its complete history
            boolean first = previous == null && node.localList(current.collection()).size() <= 1;
            log = new ChangeLog(node.config().watchLogSize(), first ? 0 : node.hlc().current());
            logs.put(current.collection(), log);
            if (!first) {
                lastAppended = null;
                return;
            }
        }
        lastAppended = log.append(previous, current, ownWrite);
        if (lastAppended == null) {
            // a change arrived below what subscribers were already sent (two nodes acted as primary
            // during a membership change): they cannot get it in order, so their subscriptions end;
            // the renew fails, the re-subscription finds the history gone and the client relists
            subs.remove(current.collection());
            return;
        }
        if (!ownWrite) {
            flush(current.collection());
        }
    }

    private ChangeLog logFor(String collection) {
        ChangeLog log = logs.get(collection);
        if (log == null) {
            long newest = 0;
            for (DhtRecord r : node.localList(collection)) {
                newest = Math.max(newest, r.revision());
            }
            log = new ChangeLog(node.config().watchLogSize(), newest);
            logs.put(collection, log);
        }
        return log;
    }

    private void flush(String collection) {
        Map<String, Sub> bySub = subs.get(collection);
        ChangeLog log = logs.get(collection);
        if (bySub == null || log == null) {
            return;
        }
        for (Sub s : List.copyOf(bySub.values())) {
            for (ChangeLog.Entry e : log.committedAfter(s.sentUpTo)) {
                s.sink.accept(new WatchPush(s.watchId, e.type.name(), e.record, e.previous, s.sentUpTo));
                s.sentUpTo = e.revision();
            }
        }
    }

    // ------------------------------------------------------------ fail-over sync

    /** Pulls the collection from the other holders unless already synced with this replica set. */
    CompletableFuture<Void> ensureSynced(String collection) {
        List<Contact> holders = node.siteReplicaSet(DhtRecord.locationKeyOf(collection));
        List<NodeId> ids = new ArrayList<>();
        for (Contact c : holders) {
            ids.add(c.id());
        }
        if (ids.equals(syncedWith.get(collection))) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> running = syncing.get(collection);
        if (running != null) {
            return running;
        }
        List<CompletableFuture<Void>> pulls = new ArrayList<>();
        for (Contact h : holders) {
            if (h.id().equals(node.self().id())) {
                continue;
            }
            pulls.add(node.request(h, new SyncRequest(node.self(), collection)).handle((m, e) -> {
                if (e == null && m instanceof SyncReply reply) {
                    for (DhtRecord r : reply.records()) {
                        if (r.collection().equals(collection)) {
                            node.applyLocal(r);
                        }
                    }
                }
                return null;
            }));
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(pulls.toArray(CompletableFuture[]::new)).thenApply(v -> {
            syncedWith.put(collection, ids);
            syncing.remove(collection);
            return null;
        });
        if (!all.isDone()) {
            syncing.put(collection, all);
        }
        return all;
    }

    // ------------------------------------------------------------ operations

    CompletableFuture<WriteResult> write(PrimaryWrite w) {
        return ensureSynced(w.collection()).thenCompose(v -> doWrite(w));
    }

    private CompletableFuture<WriteResult> doWrite(PrimaryWrite w) {
        DhtRecord cur = node.readVerified(w.collection(), w.name());
        Versioned curV = Records.toVersioned(cur);
        if (w.delete() && (cur == null || cur.tombstone())) {
            return CompletableFuture.completedFuture(new WriteResult(null, StoreException.Reason.NOT_FOUND.name(),
                    w.collection() + "/" + w.name() + " not found", cur));
        }
        StoreException.Reason reason = Records.rejection(w.precondition(), curV);
        if (reason != null) {
            return CompletableFuture.completedFuture(new WriteResult(null, reason.name(),
                    w.collection() + "/" + w.name() + ": precondition " + w.precondition().kind() + " failed", cur));
        }
        long expires = w.ttlMillis() > 0 ? node.loop().clock().wallMillis() + w.ttlMillis() : 0;
        long revision = node.hlc().next();
        byte[] value = w.delete() ? null : w.value();
        FieldClocks.Stamp stamp = new FieldClocks.Stamp(revision, node.self().site());
        FieldClocks clocks = (expires > 0 ? LwwValueMerge.INSTANCE : merger).clocksForWrite(cur, value, stamp);
        DhtRecord record = node.sign(w.collection(), w.name(), value, revision, expires, clocks);
        ChangeLog.Entry entry = applyOwn(record);
        List<Contact> holders = node.siteReplicaSet(record.locationKey());
        return node.storeAt(holders, List.of(record)).thenApply(acks -> {
            commit(w.collection(), java.util.Collections.singletonList(entry)); // entry may be null
            return new WriteResult(record, null, null, null);
        });
    }

    /** Stores a write of this primary locally; its change-log entry stays invisible until {@link #commit}. */
    private ChangeLog.Entry applyOwn(DhtRecord record) {
        ownWrite = true;
        lastAppended = null;
        try {
            node.applyLocal(record);
        } finally {
            ownWrite = false;
        }
        return lastAppended;
    }

    private void commit(String collection, List<ChangeLog.Entry> entries) {
        for (ChangeLog.Entry e : entries) {
            if (e != null) {
                e.pending = false;
            }
        }
        flush(collection);
    }

    /**
     * Merges another site's versions into this site's copy (this node acting as site primary).
     * Records that change the local object become local writes replicated to the site replica set.
     */
    CompletableFuture<MergeAck> merge(PrimaryMerge m) {
        return ensureSynced(m.collection()).thenCompose(v -> {
            long now = node.loop().clock().wallMillis();
            List<DhtRecord> written = new ArrayList<>();
            List<ChangeLog.Entry> entries = new ArrayList<>();
            for (DhtRecord remote : m.records()) {
                if (!remote.collection().equals(m.collection()) || !node.verify(remote)) {
                    node.countRejected();
                    continue;
                }
                if (remote.expired(now)) {
                    continue;
                }
                node.hlc().observe(remote.revision());
                DhtRecord local = node.readVerified(m.collection(), remote.name());
                if (sameVersion(local, remote)) {
                    continue; // what this site already holds (sites re-send what they merged): a join is idempotent
                }
                boolean lww = remote.expiresAtMillis() > 0 || (local != null && local.expiresAtMillis() > 0);
                ValueMerge.Merged merged = (lww ? LwwValueMerge.INSTANCE : merger).merge(local, remote);
                for (MergeConflict c : merged.conflicts()) {
                    conflicts.accept(c);
                }
                if (!merged.changed() || (merged.expiresAtMillis() > 0 && merged.expiresAtMillis() <= now)) {
                    continue;
                }
                DhtRecord record = node.sign(m.collection(), remote.name(), merged.value(), node.hlc().next(),
                        merged.expiresAtMillis(), merged.clocks());
                mergeWrite = true;
                try {
                    entries.add(applyOwn(record));
                } finally {
                    mergeWrite = false;
                }
                written.add(record);
            }
            if (written.isEmpty()) {
                return CompletableFuture.completedFuture(new MergeAck(0));
            }
            List<Contact> holders = node.siteReplicaSet(DhtRecord.locationKeyOf(m.collection()));
            return node.storeAt(holders, written).thenApply(acks -> {
                commit(m.collection(), entries);
                return new MergeAck(written.size());
            });
        });
    }

    /** True while record listeners are told about the stored result of a merge (not a client's write). */
    boolean mergeWriting() {
        return mergeWrite;
    }

    /** Same value, merge clocks and expiry: merging {@code remote} into {@code local} cannot change it. */
    private static boolean sameVersion(DhtRecord local, DhtRecord remote) {
        return local != null && local.clocks() != null && local.expiresAtMillis() == remote.expiresAtMillis()
                && java.util.Arrays.equals(local.clocks(), remote.clocks())
                && java.util.Arrays.equals(local.value(), remote.value());
    }

    CompletableFuture<GetResult> get(PrimaryGet g) {
        return ensureSynced(g.collection()).thenApply(v -> new GetResult(node.readVerified(g.collection(), g.name())));
    }

    CompletableFuture<ListReply> list(PrimaryList l) {
        return ensureSynced(l.collection()).thenApply(v -> {
            List<DhtRecord> live = new ArrayList<>();
            for (DhtRecord r : node.localList(l.collection())) {
                if (!r.tombstone()) {
                    live.add(r);
                }
            }
            long revision = Math.max(node.hlc().current(), logFor(l.collection()).lastRevision());
            return new ListReply(live, revision);
        });
    }

    SyncReply sync(SyncRequest s) {
        return new SyncReply(node.localList(s.collection()));
    }

    // ------------------------------------------------------------ watch subscriptions

    private static String subKey(NodeId subscriber, long watchId) {
        return subscriber.toHex() + ":" + watchId;
    }

    CompletableFuture<WatchAck> subscribe(NodeId subscriber, WatchSubscribe w, Consumer<WatchPush> sink) {
        return ensureSynced(w.collection()).thenApply(v -> {
            ChangeLog log = logFor(w.collection());
            if (w.fromRevision() > 0 && w.fromRevision() < log.oldestResumable()) {
                return new WatchAck(false, true, log.oldestResumable(), 0);
            }
            long start = w.fromRevision() > 0 ? w.fromRevision() : log.committedRevision();
            String key = subKey(subscriber, w.watchId());
            Sub s = new Sub(key, w.watchId(), w.collection(), sink, start, now());
            subs.computeIfAbsent(w.collection(), c -> new LinkedHashMap<>()).put(key, s);
            // replay after the ack has left, so the watcher learns the start first
            node.loop().execute(() -> flush(w.collection()));
            return new WatchAck(true, false, start, start);
        });
    }

    WatchAck renew(NodeId subscriber, WatchRenew r) {
        Map<String, Sub> bySub = subs.get(r.collection());
        Sub s = bySub == null ? null : bySub.get(subKey(subscriber, r.watchId()));
        if (s == null) {
            return new WatchAck(false, false, 0, 0);
        }
        s.renewedAtMillis = now();
        return new WatchAck(true, false, 0, s.sentUpTo);
    }

    void cancel(NodeId subscriber, WatchCancel c) {
        String key = subKey(subscriber, c.watchId());
        for (Map<String, Sub> bySub : subs.values()) {
            bySub.remove(key);
        }
    }

    private void expireSubscriptions() {
        long deadline = now() - 3 * node.config().watchRenewMillis();
        for (Map<String, Sub> bySub : subs.values()) {
            bySub.values().removeIf(s -> s.renewedAtMillis < deadline);
        }
        subs.values().removeIf(Map::isEmpty);
    }

    int subscriptionCount() {
        int n = 0;
        for (Map<String, Sub> bySub : subs.values()) {
            n += bySub.size();
        }
        return n;
    }

    void checkInvariants() {
        for (ChangeLog log : logs.values()) {
            log.checkInvariants();
        }
    }

    void close() {
        expiry.cancel();
        subs.clear();
    }
}
