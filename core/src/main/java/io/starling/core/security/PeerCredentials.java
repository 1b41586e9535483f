package io.starling.core.security;

import io.starling.core.identity.PeerIdentity;
import io.starling.core.net.NodeId;
import io.starling.core.net.netty.NettyTls;
import io.starling.core.time.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Everything a peer keeps in its data dir to rejoin its cluster after a restart: its identity key,
 * its certificate, the CA certificate and, on super-peers, the CA key and the join token hash (so
 * they can admit further peers). Secrets are written with mode 0600.
 */
public final class PeerCredentials {
    public static final String IDENTITY_KEY_FILE = "identity.key";
    public static final String PEER_CERT_FILE = "peer.crt";
    public static final String TOKEN_HASH_FILE = "join-token.hash";

    private final PeerIdentity identity;
    private final X509Certificate peerCertificate;
    private final X509Certificate caCertificate;
    private final PrivateKey caPrivateKey;
    private final JoinTokenHash tokenHash;

    public PeerCredentials(PeerIdentity identity, X509Certificate peerCertificate, X509Certificate caCertificate,
            PrivateKey caPrivateKey, JoinTokenHash tokenHash) {
        if (!PeerCertificates.nodeIdOf(peerCertificate).equals(identity.nodeId())) {
            throw new IllegalArgumentException("peer certificate is for another identity");
        }
        try {
            peerCertificate.verify(caCertificate.getPublicKey());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("peer certificate was not issued by this CA", e);
        }
        this.identity = identity;
        this.peerCertificate = peerCertificate;
        this.caCertificate = caCertificate;
        this.caPrivateKey = caPrivateKey;
        this.tokenHash = tokenHash;
    }

    /** Credentials of the first super-peer of a new cluster: it issues its own certificate. */
    public static PeerCredentials bootstrap(ClusterCa ca, PeerIdentity identity, String site, JoinTokenHash tokenHash) {
        X509Certificate cert = ca.issuePeerCertificate(identity.publicKey(), site, PeerRole.SUPER);
        return new PeerCredentials(identity, cert, ca.certificate(), ca.privateKey(), tokenHash);
    }

    public PeerIdentity identity() {
        return identity;
    }

    public NodeId nodeId() {
        return identity.nodeId();
    }

    public X509Certificate peerCertificate() {
        return peerCertificate;
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    public String site() {
        return PeerCertificates.siteOf(peerCertificate).orElseThrow();
    }

    public PeerRole role() {
        return PeerCertificates.roleOf(peerCertificate).orElseThrow();
    }

    /** The CA, when this peer holds its key (super-peers). */
    public Optional<ClusterCa> clusterCa(Clock clock) {
        return caPrivateKey == null ? Optional.empty() : Optional.of(ClusterCa.of(caCertificate, caPrivateKey, clock));
    }

    public Optional<JoinTokenHash> tokenHash() {
        return Optional.ofNullable(tokenHash);
    }

    /** TLS contexts for the transport. */
    public NettyTls tls() {
        return PeerTls.forPeer(identity, peerCertificate, caCertificate);
    }

    /** TLS contexts that record the role of every peer that authenticates into {@code roles}. */
    public NettyTls tls(PeerRoles roles) {
        return PeerTls.forPeer(identity, peerCertificate, caCertificate, roles);
    }

    public static boolean existIn(Path dir) {
        return Files.isRegularFile(dir.resolve(IDENTITY_KEY_FILE)) && Files.isRegularFile(dir.resolve(PEER_CERT_FILE))
                && Files.isRegularFile(dir.resolve(ClusterCa.CA_CERT_FILE));
    }

    public void save(Path dir) {
        SecureFiles.writeSecret(dir.resolve(IDENTITY_KEY_FILE), Pem.privateKey(Keys.ed25519Private(identity)));
        SecureFiles.writePublic(dir.resolve(PEER_CERT_FILE), Pem.certificate(peerCertificate));
        SecureFiles.writePublic(dir.resolve(ClusterCa.CA_CERT_FILE), Pem.certificate(caCertificate));
        if (caPrivateKey != null) {
            SecureFiles.writeSecret(dir.resolve(ClusterCa.CA_KEY_FILE), Pem.privateKey(caPrivateKey));
        }
        if (tokenHash != null) {
            SecureFiles.writeSecret(dir.resolve(TOKEN_HASH_FILE), tokenHash.encode() + "\n");
        }
    }

    /** Loads what {@link #save} wrote; a clear message when a file is missing or malformed. */
    public static PeerCredentials load(Path dir) {
        if (!existIn(dir)) {
            throw new IllegalArgumentException("no peer credentials in " + dir + " (expected " + IDENTITY_KEY_FILE + ", "
                    + PEER_CERT_FILE + ", " + ClusterCa.CA_CERT_FILE + ")");
        }
        PeerIdentity identity = Keys.identityFrom(Pem.privateKey(SecureFiles.read(dir.resolve(IDENTITY_KEY_FILE))));
        X509Certificate peer = Pem.certificate(SecureFiles.read(dir.resolve(PEER_CERT_FILE)));
        X509Certificate ca = Pem.certificate(SecureFiles.read(dir.resolve(ClusterCa.CA_CERT_FILE)));
        Path caKey = dir.resolve(ClusterCa.CA_KEY_FILE);
        PrivateKey caPrivate = Files.isRegularFile(caKey) ? Pem.privateKey(SecureFiles.read(caKey)) : null;
        Path hash = dir.resolve(TOKEN_HASH_FILE);
        JoinTokenHash tokenHash = Files.isRegularFile(hash) ? JoinTokenHash.decode(SecureFiles.read(hash)) : null;
        return new PeerCredentials(identity, peer, ca, caPrivate, tokenHash);
    }
}
