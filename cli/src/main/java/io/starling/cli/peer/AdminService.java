package io.starling.cli.peer;

import io.starling.cli.peer.AdminMessages.AdminError;
import io.starling.cli.peer.AdminMessages.GetRequest;
import io.starling.cli.peer.AdminMessages.LookupReply;
import io.starling.cli.peer.AdminMessages.LookupRequest;
import io.starling.cli.peer.AdminMessages.PeersReply;
import io.starling.cli.peer.AdminMessages.PeersRequest;
import io.starling.cli.peer.AdminMessages.PutRequest;
import io.starling.cli.peer.AdminMessages.RecordReply;
import io.starling.core.net.Message;
import io.starling.core.net.NodeId;
import io.starling.core.net.PeerAddress;
import io.starling.core.security.PeerRoles;
import io.starling.dht.node.DhtNode;
import io.starling.dht.record.DhtRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Answers operator requests on a super-peer. Operators authenticate like peers, with a certificate
 * from the cluster CA whose role is operator ({@code starling init}'s admin credentials); other
 * callers get an {@link AdminError}.
 */
final class AdminService {
    private static final int MAX_VALUE_BYTES = 64 * 1024;

    private final DhtNode dht;
    private final PeerCoordinates coordinates;
    private final PeerRoles roles;

    AdminService(DhtNode dht, PeerCoordinates coordinates, PeerRoles roles) {
        this.dht = dht;
        this.coordinates = coordinates;
        this.roles = roles;
    }

    void register() {
        for (Class<? extends Message> type : List.of(PeersRequest.class, PutRequest.class, GetRequest.class,
                LookupRequest.class, AdminMessages.CoordsRequest.class)) {
            dht.registerHandler(type, OperatorOnly.guard(roles, this::handle));
        }
    }

    CompletableFuture<Message> handle(NodeId sender, PeerAddress from, Message m) {
        try {
            if (m instanceof PeersRequest) {
                return dht.routingTable().thenApply(t -> new PeersReply(dht.self(), t));
            }
            if (m instanceof PutRequest p) {
                if (p.value() == null || p.value().length > MAX_VALUE_BYTES) {
                    return done(new AdminError("value must be at most " + MAX_VALUE_BYTES + " bytes"));
                }
                return dht.putRaw(AdminMessages.RAW_COLLECTION, checkName(p.name()), p.value(), Math.max(0, p.ttlMillis()))
                        .thenCompose(r -> withHolders(r));
            }
            if (m instanceof GetRequest g) {
                return dht.getRaw(AdminMessages.RAW_COLLECTION, checkName(g.name())).thenCompose(r -> r.isPresent()
                        ? withHolders(r.get())
                        : done(new RecordReply(false, g.name(), null, 0, "", "", List.of())));
            }
            if (m instanceof AdminMessages.CoordsRequest) {
                // handlers run on the peer's event loop, where the Vivaldi service lives
                var v = coordinates.vivaldi();
                return done(new AdminMessages.CoordsReply(dht.self().id().toHex(), v.annotation(), v.samples(),
                        v.neighbourCount()));
            }
            if (m instanceof LookupRequest l) {
                NodeId target = l.keyHex() != null && !l.keyHex().isEmpty() ? NodeId.fromHex(l.keyHex())
                        : NodeId.of(sha1(l.name()));
                return dht.lookup(target).thenApply(r -> new LookupReply(r.target().toHex(), r.closest(), r.hops(), r.queried()));
            }
        } catch (IllegalArgumentException e) {
            return done(new AdminError(e.getMessage()));
        }
        return null;
    }

    private CompletableFuture<Message> withHolders(DhtRecord r) {
        return dht.replicaSet(DhtRecord.locationKeyOf(r.collection())).thenApply(h -> new RecordReply(true, r.name(),
                r.value(), r.revision(), r.writer().toHex(), r.homeSite(), h));
    }

    private static String checkName(String name) {
        if (name == null || name.isEmpty() || name.length() > 253) {
            throw new IllegalArgumentException("key must be 1..253 characters");
        }
        return name;
    }

    private static CompletableFuture<Message> done(Message m) {
        return CompletableFuture.completedFuture(m);
    }

    static byte[] sha1(String s) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
