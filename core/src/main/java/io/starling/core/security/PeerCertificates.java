package io.starling.core.security;

import io.starling.core.net.NodeId;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Reads what a peer certificate binds. The node id is recomputed from the certificate's Ed25519 key
 * (SHA-1 of it, as for every node id) and must equal the id the CA wrote into the SAN, so neither a
 * certificate for a different key nor a certificate without a binding authenticates anyone.
 */
public final class PeerCertificates {
    private PeerCertificates() {}

    /** For {@link io.starling.core.net.netty.PeerAuthenticator}: the node id a verified chain proves. */
    public static NodeId authenticate(Certificate[] chain) {
        if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            throw new IllegalArgumentException("no X.509 peer certificate");
        }
        return nodeIdOf(leaf);
    }

    public static NodeId nodeIdOf(X509Certificate cert) {
        NodeId fromKey = Keys.nodeIdOf(cert.getPublicKey());
        String bound = uri(cert, ClusterCa.NODE_URI_PREFIX)
                .orElseThrow(() -> new IllegalArgumentException("certificate binds no node id"));
        if (!bound.equals(fromKey.toHex())) {
            throw new IllegalArgumentException("certificate node id does not match its key");
        }
        return fromKey;
    }

    public static Optional<String> siteOf(X509Certificate cert) {
        return uri(cert, ClusterCa.SITE_URI_PREFIX);
    }

    public static Optional<PeerRole> roleOf(X509Certificate cert) {
        return uri(cert, ClusterCa.ROLE_URI_PREFIX).map(PeerRole::parse);
    }

    private static Optional<String> uri(X509Certificate cert, String prefix) {
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans == null) {
                return Optional.empty();
            }
            for (List<?> san : sans) {
                if (((Integer) san.get(0)) == 6 && san.get(1) instanceof String s && s.startsWith(prefix)) {
                    return Optional.of(s.substring(prefix.length()));
                }
            }
            return Optional.empty();
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException("malformed subject alternative names", e);
        }
    }
}
