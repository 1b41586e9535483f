package io.starling.core.security;

import io.starling.core.net.NodeId;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The roles the cluster CA bound into the certificates of the peers that authenticated to one
 * transport, by node id: handlers see only the sender's node id, and a node id is a hash of the
 * key the certificate was verified for, so the role read at the handshake holds for every message
 * of that sender. One entry per CA-certified peer ever seen (never more than the cluster has).
 */
public final class PeerRoles {
    private final Map<NodeId, PeerRole> roles = new ConcurrentHashMap<>();

    /** The transport's {@code PeerAuthenticator}: the node id a verified chain proves, its role recorded. */
    public NodeId authenticate(Certificate[] verifiedChain) {
        NodeId id = PeerCertificates.authenticate(verifiedChain);
        // a re-issued certificate (e.g. admin credentials upgraded to operator) replaces the old role
        PeerCertificates.roleOf((X509Certificate) verifiedChain[0]).ifPresentOrElse(r -> roles.put(id, r),
                () -> roles.remove(id));
        return id;
    }

    public Optional<PeerRole> roleOf(NodeId id) {
        return Optional.ofNullable(roles.get(id));
    }

    public boolean has(NodeId id, PeerRole role) {
        return roles.get(id) == role;
    }
}
