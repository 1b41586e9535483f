package io.starling.core.join;

import io.starling.core.identity.PeerIdentity;
import io.starling.core.join.JoinMessages.JoinRejected;
import io.starling.core.join.JoinMessages.JoinRequest;
import io.starling.core.join.JoinMessages.JoinResponse;
import io.starling.core.net.Contact;
import io.starling.core.net.Message;
import io.starling.core.net.netty.NettyTransport;
import io.starling.core.security.ClusterCa;
import io.starling.core.security.JoinTokenHash;
import io.starling.core.security.PeerRole;
import io.starling.core.time.Clock;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Admits new peers (server side of the join protocol). Runs on every super-peer that holds the CA
 * key. {@link #admit} is a pure decision (token, puzzle, proof of possession, freshness), then the
 * CA issues the certificate; {@link #attach} plugs it into the transport's links without a client
 * certificate.
 */
public final class JoinService {
    private static final Logger LOG = Logger.getLogger(JoinService.class.getName());
    public static final long DEFAULT_MAX_CLOCK_SKEW_MILLIS = 5 * 60_000L;
    public static final int MAX_CONTACTS = 20;

    private final ClusterCa ca;
    private final JoinTokenHash tokenHash;
    private final int puzzleBits;
    private final long maxClockSkewMillis;
    private final Clock clock;
    private final Supplier<List<Contact>> contacts;

    /**
     * @param contacts known peers handed to newcomers (at most {@link #MAX_CONTACTS} are sent)
     */
    public JoinService(ClusterCa ca, JoinTokenHash tokenHash, int puzzleBits, long maxClockSkewMillis, Clock clock,
            Supplier<List<Contact>> contacts) {
        this.ca = ca;
        this.tokenHash = tokenHash;
        this.puzzleBits = puzzleBits;
        this.maxClockSkewMillis = maxClockSkewMillis;
        this.clock = clock;
        this.contacts = contacts;
    }

    /** The join service of a peer that holds the CA key and token hash (super-peers), if it does. */
    public static java.util.Optional<JoinService> forPeer(io.starling.core.security.PeerCredentials credentials, int puzzleBits,
            Clock clock, Supplier<List<Contact>> contacts) {
        return credentials.clusterCa(clock).flatMap(ca -> credentials.tokenHash().map(hash ->
                new JoinService(ca, hash, puzzleBits, DEFAULT_MAX_CLOCK_SKEW_MILLIS, clock, contacts)));
    }

    /** Serves join requests arriving on {@code transport}'s links that present no client certificate. */
    public void attach(NettyTransport transport) {
        transport.acceptUnauthenticated(JoinRequest.class,
                (remote, request) -> CompletableFuture.completedFuture(admit((JoinRequest) request, String.valueOf(remote))));
    }

    /** The answer to one join request: a {@link JoinResponse} or a {@link JoinRejected}. */
    public Message admit(JoinRequest r, String from) {
        String refusal = check(r);
        if (refusal != null) {
            LOG.info("join refused for " + from + ": " + refusal);
            return new JoinRejected(refusal);
        }
        PeerRole role = PeerRole.parsePeer(r.role());
        X509Certificate cert;
        try {
            cert = ca.issuePeerCertificate(r.publicKey(), r.site(), role);
        } catch (IllegalArgumentException e) {
            return new JoinRejected(e.getMessage());
        }
        List<Contact> known = contacts.get();
        List<Contact> sent = List.copyOf(known.subList(0, Math.min(MAX_CONTACTS, known.size())));
        LOG.info("admitted " + PeerIdentity.nodeIdOf(r.publicKey()).shortHex() + " (" + role.wireName() + ", site "
                + r.site() + ") from " + from);
        try {
            boolean superPeer = role == PeerRole.SUPER;
            return new JoinResponse(ca.certificate().getEncoded(), cert.getEncoded(),
                    superPeer ? ca.privateKey().getEncoded() : new byte[0], superPeer ? tokenHash.tokenId() : "",
                    superPeer ? tokenHash.secretSha256() : new byte[0], sent);
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode certificate", e);
        }
    }

    /** Why {@code r} must be refused, or null. Token first: nothing else is revealed to a stranger. */
    private String check(JoinRequest r) {
        if (!tokenHash.matches(r.tokenId(), r.tokenSecret())) {
            return "invalid token";
        }
        if (r.publicKey() == null || r.publicKey().length != PeerIdentity.PUBLIC_KEY_BYTES) {
            return "public key must be 32 bytes of Ed25519";
        }
        if (r.site() == null || r.role() == null) {
            return "site and role are required";
        }
        try {
            PeerRole.parsePeer(r.role());
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (Math.abs(clock.wallMillis() - r.timestampMillis()) > maxClockSkewMillis) {
            return "clock skew too large (more than " + maxClockSkewMillis / 1000 + " s from the bootstrap's clock)";
        }
        byte[] proof = JoinMessages.proofBytes(r.tokenId(), ca.publicKeyHash(), r.publicKey(), r.timestampMillis(),
                r.site(), r.role(), r.advertisedAddress());
        if (!PeerIdentity.verify(r.publicKey(), proof, r.signature())) {
            return "invalid proof of key possession";
        }
        if (!PeerIdentity.satisfiesPuzzle(r.publicKey(), puzzleBits)) {
            return "node id fails the S/Kademlia puzzle (needs " + puzzleBits + " zero bits)";
        }
        return null;
    }
}
