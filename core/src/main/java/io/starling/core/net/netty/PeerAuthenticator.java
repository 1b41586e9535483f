package io.starling.core.net.netty;

import io.starling.core.net.NodeId;
import java.security.cert.Certificate;

/** Maps the certificate chain a TLS link verified to the node id it proves (see io.starling.core.security). */
@FunctionalInterface
public interface PeerAuthenticator {
    /** @throws IllegalArgumentException when the certificate binds no node id. */
    NodeId authenticate(Certificate[] verifiedChain);
}
