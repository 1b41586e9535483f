package io.starling.runtime.http;

import io.starling.core.security.PeerCertificates;
import io.starling.core.security.PeerRole;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Who may call the agent API over TLS: only super-peers, i.e. the gateways that forward kubectl
 * logs and exec. The handshake already proved the chain leads to the cluster CA; here the leaf
 * must be a peer certificate (node id bound to its key) with role super. Edge peers and
 * kubeconfig users (client certificates without a peer binding) hold CA-issued certificates too,
 * but must go through a gateway, where the request is authenticated and authorized per user.
 */
public final class AgentCallers {
    private AgentCallers() {}

    /** Why {@code chain} (the verified client chain, leaf first) may not call the agent, or empty when it may. */
    public static Optional<String> refusal(Certificate[] chain) {
        if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            return Optional.of("no client certificate");
        }
        try {
            PeerCertificates.nodeIdOf(leaf);
        } catch (IllegalArgumentException e) {
            return Optional.of("the client certificate is not a peer certificate (" + e.getMessage() + ")");
        }
        Optional<PeerRole> role;
        try {
            role = PeerCertificates.roleOf(leaf);
        } catch (IllegalArgumentException e) {
            return Optional.of("the client certificate has an unknown role: " + e.getMessage());
        }
        if (role.orElse(null) != PeerRole.SUPER) {
            return Optional.of("only super-peers (gateways) may call the node agent; the client certificate is for role "
                    + role.map(PeerRole::wireName).orElse("none"));
        }
        return Optional.empty();
    }
}
