package io.starling.dht.node;

import io.starling.core.net.Contact;
import io.starling.core.net.Message;
import io.starling.core.net.NodeId;
import io.starling.core.net.WireRegistry;
import io.starling.dht.record.DhtRecord;
import java.util.List;

/**
 * Kademlia wire messages. Every request carries the sender's {@link Contact} ({@code origin}): the
 * receiver accepts it only when its id equals the id the transport authenticated, and adds it to
 * its routing table only if it is a super-peer. Wire ids 200-229 belong to this class; the DHT
 * cluster protocol uses 230-269 and the edge store protocol 270-299 (see
 * io.starling.dht.cluster.ClusterMessages). Core value types (NodeId, PeerAddress, Contact) are
 * registered by the core codec.
 */
public final class DhtMessages {
    private DhtMessages() {}

    public record Ping(Contact origin) implements Message {}

    public record Pong(Contact origin) implements Message {}

    public record FindNode(Contact origin, NodeId target) implements Message {}

    public record Nodes(Contact origin, List<Contact> contacts) implements Message {
        public Nodes {
            contacts = List.copyOf(contacts);
        }
    }

    /** Asks for one record; a holder answers with it, everyone also with closer contacts. */
    public record FindValue(Contact origin, String collection, String name) implements Message {}

    public record Value(Contact origin, DhtRecord record, List<Contact> contacts) implements Message {
        public Value {
            contacts = List.copyOf(contacts);
        }
    }

    /** Stores (merges) signed records at a replica holder. */
    public record Store(Contact origin, List<DhtRecord> records) implements Message {
        public Store {
            records = List.copyOf(records);
        }
    }

    public record StoreAck(Contact origin, int stored, int rejected) implements Message {}

    /** Reads every record of a collection a holder keeps (the site directory), at most one message's worth. */
    public record FindCollection(Contact origin, String collection) implements Message {}

    public record CollectionRecords(Contact origin, List<DhtRecord> records) implements Message {
        public CollectionRecords {
            records = List.copyOf(records);
        }
    }

    /** Registers the Kademlia messages and the record value type with fixed ids (200-229). */
    public static void register(WireRegistry registry) {
        registry.register(200, Ping.class)
                .register(201, Pong.class)
                .register(202, FindNode.class)
                .register(203, Nodes.class)
                .register(204, FindValue.class)
                .register(205, Value.class)
                .register(206, Store.class)
                .register(207, StoreAck.class)
                .register(208, FindCollection.class)
                .register(209, CollectionRecords.class)
                .register(220, DhtRecord.class);
    }
}
