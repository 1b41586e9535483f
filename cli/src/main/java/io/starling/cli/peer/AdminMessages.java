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

    /**
     * One piece of an image tarball on its way to a peer's node agent ({@code starling image
     * import}); pieces of one upload arrive in order, the last one carries the SHA-256 of the whole.
     */
    public record ImageChunk(String upload, long offset, byte[] data, boolean last, String sha256) implements Message {}

    /** Bytes of the upload received so far (answer to a piece that is not the last). */
    public record ImageChunkAck(long received) implements Message {}

    /** The upload was imported into the node's runtime; the image names it held. */
    public record ImageImported(List<String> names, long bytes) implements Message {
        public ImageImported {
            names = List.copyOf(names);
        }
    }

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
                .register(909, CoordsReply.class)
                .register(910, ImageChunk.class)
                .register(911, ImageChunkAck.class)
                .register(912, ImageImported.class);
    }
}
