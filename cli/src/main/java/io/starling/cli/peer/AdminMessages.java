package io.starling.cli.peer;

import io.starling.core.net.Contact;
import io.starling.core.net.Message;
import io.starling.core.net.WireRegistry;
import java.util.List;

/** Operator requests ({@code starling dht ...}) and their answers. Wire ids 900-949. */
public final class AdminMessages {
    private AdminMessages() {}

    /** Collection that {@code starling dht put/get} use for operator records. */
    public static final String RAW_COLLECTION = "_ops/kv";

    public record PeersRequest() implements Message {}

    public record PeersReply(Contact self, List<Contact> routingTable) implements Message {
        public PeersReply {
            routingTable = List.copyOf(routingTable);
        }
    }

    public record PutRequest(String name, byte[] value, long ttlMillis) implements Message {}

    public record GetRequest(String name) implements Message {}

    /** A record as operators see it; {@code found} false when there is none. */
    public record RecordReply(boolean found, String name, byte[] value, long revision, String writer, String homeSite,
                              List<Contact> holders) implements Message {
        public RecordReply {
            holders = List.copyOf(holders);
        }
    }

    public record LookupRequest(String keyHex, String name) implements Message {}

    public record LookupReply(String target, List<Contact> closest, int hops, int queried) implements Message {
        public LookupReply {
            closest = List.copyOf(closest);
        }
    }

    public record AdminError(String message) implements Message {}

    public record CoordsRequest() implements Message {}

    /** The peer's Vivaldi state: "X,Y,HEIGHT,ERROR" in ms, samples taken, neighbours tracked. */
    public record CoordsReply(String nodeId, String coordinates, long samples, int neighbours) implements Message {}

    public static WireRegistry register(WireRegistry r) {
        return r.register(900, PeersRequest.class)
                .register(901, PeersReply.class)
                .register(902, PutRequest.class)
                .register(903, GetRequest.class)
                .register(904, RecordReply.class)
                .register(905, LookupRequest.class)
                .register(906, LookupReply.class)
                .register(907, AdminError.class)
                .register(908, CoordsRequest.class)
                .register(909, CoordsReply.class);
    }
}
