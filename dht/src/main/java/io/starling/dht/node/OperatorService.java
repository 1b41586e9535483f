package io.starling.dht.node;

import io.starling.core.net.Contact;
import io.starling.core.net.Message;
import io.starling.core.net.NodeId;
import io.starling.core.net.WireRegistry;
import io.starling.dht.record.DhtRecord;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Serves the operator commands {@code starling dht peers|lookup|put|get --peer HOST:PORT} on a
 * super-peer: the CLI connects with its own transport and sends these requests. Raw records live
 * in collections of the operator's choosing (e.g. "ops/notes") and are signed by the serving node.
 * Wire ids 210-219.
 */
public final class OperatorService {
    public record OpPeers() implements Message {}

    public record OpPeersReply(Contact self, List<Contact> contacts) implements Message {
        public OpPeersReply {
            contacts = List.copyOf(contacts);
        }
    }

    public record OpLookup(NodeId target) implements Message {}

    public record OpLookupReply(List<Contact> closest, int hops, int queried) implements Message {
        public OpLookupReply {
            closest = List.copyOf(closest);
        }
    }

    /** {@code ttlMillis} 0 = permanent. */
    public record OpPut(String collection, String name, byte[] value, long ttlMillis) implements Message {}

    public record OpGet(String collection, String name) implements Message {}

    /** {@code record} null when absent; {@code error} set when the request was invalid. */
    public record OpRecordReply(DhtRecord record, String error) implements Message {}

    public static void register(WireRegistry r) {
        r.register(210, OpPeers.class)
                .register(211, OpPeersReply.class)
                .register(212, OpLookup.class)
                .register(213, OpLookupReply.class)
                .register(214, OpPut.class)
                .register(215, OpGet.class)
                .register(216, OpRecordReply.class);
    }

    private static final int MAX_TEXT = 1024;

    /** Installs the operator handlers on {@code node}. */
    public static void install(DhtNode node) {
        node.registerHandler(OpPeers.class, (s, a, m) -> node.routingTable()
                .thenApply(all -> (Message) new OpPeersReply(node.self(), all)));
        node.registerHandler(OpLookup.class, (s, a, m) -> node.lookup(((OpLookup) m).target())
                .thenApply(r -> (Message) new OpLookupReply(r.closest(), r.hops(), r.queried())));
        node.registerHandler(OpPut.class, (s, a, m) -> {
            OpPut p = (OpPut) m;
            String bad = invalid(p.collection(), p.name());
            if (bad == null && (p.value() == null || p.ttlMillis() < 0)) {
                bad = "put needs a value and ttlMillis >= 0";
            }
            if (bad != null) {
                return CompletableFuture.completedFuture(new OpRecordReply(null, bad));
            }
            return node.putRaw(p.collection(), p.name(), p.value(), p.ttlMillis())
                    .thenApply(r -> (Message) new OpRecordReply(r, null));
        });
        node.registerHandler(OpGet.class, (s, a, m) -> {
            OpGet g = (OpGet) m;
            String bad = invalid(g.collection(), g.name());
            if (bad != null) {
                return CompletableFuture.completedFuture(new OpRecordReply(null, bad));
            }
            return node.getRaw(g.collection(), g.name()).thenApply(r -> (Message) new OpRecordReply(r.orElse(null), null));
        });
    }

    private static String invalid(String collection, String name) {
        if (collection == null || name == null || collection.isEmpty() || name.isEmpty()) {
            return "collection and name must not be empty";
        }
        if (collection.length() > MAX_TEXT || name.length() > MAX_TEXT) {
            return "collection and name are limited to " + MAX_TEXT + " characters";
        }
        if (collection.indexOf('\u0000') >= 0 || name.indexOf('\u0000') >= 0) {
            return "NUL is not allowed in keys";
        }
        return null;
    }

    private OperatorService() {}
}
