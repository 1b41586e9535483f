package io.starling.dht.cluster;

import io.starling.core.net.Contact;
import io.starling.core.net.Message;
import io.starling.core.net.PeerAddress;
import io.starling.core.net.WireRegistry;
import io.starling.dht.record.DhtRecord;
import io.starling.dht.store.CollectionKey;
import io.starling.dht.store.ListResult;
import io.starling.dht.store.ObjectKey;
import io.starling.dht.store.Precondition;
import io.starling.dht.store.Versioned;
import io.starling.dht.store.WatchEvent;
import java.util.List;

/**
 * Messages of the cluster-store protocol between super-peers (wire ids 230-269) and between an
 * edge peer and its super-peer (270-299). Errors travel as data ({@code error} = a
 * StoreException.Reason name), never as remote exceptions, so CONFLICT stays CONFLICT end to end.
 */
public final class ClusterMessages {
    private ClusterMessages() {}

    // ------------------------------------------------------------ super-peer -> primary

    /** A write at the collection's primary. {@code value == null} with {@code delete} = tombstone. */
    public record PrimaryWrite(Contact origin, String collection, String name, byte[] value, boolean delete,
                               Precondition precondition, long ttlMillis) implements Message {}

    public record WriteResult(DhtRecord record, String error, String message, DhtRecord current) implements Message {}

    public record PrimaryGet(Contact origin, String collection, String name) implements Message {}

    /** {@code record} may be a tombstone (the caller reports "absent"). */
    public record GetResult(DhtRecord record) implements Message {}

    public record PrimaryList(Contact origin, String collection) implements Message {}

    /** Live records of the collection and its revision at the time of the list. */
    public record ListReply(List<DhtRecord> records, long revision) implements Message {
        public ListReply {
            records = List.copyOf(records);
        }
    }

    /** A new primary pulls a collection (tombstones included) from the other holders. */
    public record SyncRequest(Contact origin, String collection) implements Message {}

    public record SyncReply(List<DhtRecord> records) implements Message {
        public SyncReply {
            records = List.copyOf(records);
        }
    }

    public record WatchSubscribe(Contact origin, long watchId, String collection, long fromRevision) implements Message {}

    public record WatchRenew(Contact origin, long watchId, String collection) implements Message {}

    public record WatchCancel(Contact origin, long watchId) implements Message {}

    /**
     * Subscription answer. {@code startRevision}: where the stream starts (the first push has
     * {@code prevRevision == startRevision}); on renew, {@code sentRevision} is the last revision
     * sent so the watcher detects a lost push.
     */
    public record WatchAck(boolean accepted, boolean gone, long startRevision, long sentRevision) implements Message {}

    /** One change, pushed one-way. {@code prevRevision}: the revision sent before it on this subscription. */
    public record WatchPush(long watchId, String type, DhtRecord record, byte[] previous, long prevRevision)
            implements Message {}

    /**
     * Cross-site replication: another site's versions of records of one collection, to merge into
     * this site's copy at its site primary. Sent to any super-peer of the site; one that is not the
     * primary forwards it once ({@code forwarded}), so differing directory views cannot loop it.
     */
    public record PrimaryMerge(Contact origin, String collection, List<DhtRecord> records, boolean forwarded)
            implements Message {
        public PrimaryMerge {
            records = List.copyOf(records);
        }
    }

    /** {@code stored}: how many records changed this site's copy. */
    public record MergeAck(int stored) implements Message {}

    // ------------------------------------------------------------ edge peer -> super-peer

    public record ClientGet(ObjectKey key) implements Message {}

    public record ClientList(CollectionKey collection) implements Message {}

    public record ClientPut(ObjectKey key, byte[] value, Precondition precondition) implements Message {}

    public record ClientDelete(ObjectKey key, Precondition precondition) implements Message {}

    /** Reply to every client operation: exactly one of versioned/list/error is meaningful. */
    public record ClientReply(Versioned versioned, ListResult list, String error, String message, Versioned current)
            implements Message {}

    /** {@code replyTo}: where the edge peer receives pushes (its transport's listen address). */
    public record ClientWatch(long watchId, CollectionKey collection, long fromRevision, PeerAddress replyTo)
            implements Message {}

    public record ClientWatchRenew(long watchId) implements Message {}

    public record ClientWatchCancel(long watchId) implements Message {}

    public record ClientWatchAck(boolean accepted, long sentRevision) implements Message {}

    public record ClientWatchEvent(long watchId, WatchEvent event, long prevRevision) implements Message {}

    public record ClientWatchGone(long watchId, String why) implements Message {}

    /** Registers every cluster-store message and the store value types with fixed ids. */
    public static void register(WireRegistry r) {
        r.register(230, PrimaryWrite.class)
                .register(231, WriteResult.class)
                .register(232, PrimaryGet.class)
                .register(233, GetResult.class)
                .register(234, PrimaryList.class)
                .register(235, ListReply.class)
                .register(236, SyncRequest.class)
                .register(237, SyncReply.class)
                .register(238, WatchSubscribe.class)
                .register(239, WatchRenew.class)
                .register(240, WatchCancel.class)
                .register(241, WatchAck.class)
                .register(242, WatchPush.class)
                .register(243, PrimaryMerge.class)
                .register(244, MergeAck.class)
                .register(260, Precondition.class)
                .register(261, Precondition.Kind.class)
                .register(262, CollectionKey.class)
                .register(263, ObjectKey.class)
                .register(264, Versioned.class)
                .register(265, ListResult.class)
                .register(266, WatchEvent.class)
                .register(267, WatchEvent.Type.class)
                .register(270, ClientGet.class)
                .register(271, ClientList.class)
                .register(272, ClientPut.class)
                .register(273, ClientDelete.class)
                .register(274, ClientReply.class)
                .register(275, ClientWatch.class)
                .register(276, ClientWatchRenew.class)
                .register(277, ClientWatchCancel.class)
                .register(278, ClientWatchAck.class)
                .register(279, ClientWatchEvent.class)
                .register(280, ClientWatchGone.class);
    }
}
