package io.starling.runtime.http;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.starling.core.security.JdkTls;
import io.starling.core.security.PeerCredentials;
import io.starling.core.security.PeerTls;

/**
 * The agent API's server TLS context: the peer's own certificate (Ed25519 identity key, as on the
 * peer transport) and a client certificate REQUIRED, trusting the cluster CA only. A caller
 * without a certificate, or with one from another CA, fails the handshake; which CA-issued
 * callers may use the API is {@link AgentCallers}' decision, answered with HTTP 403.
 */
public final class AgentTls {
    /** Both ends are Starling peers on the JDK provider, so TLS 1.3 only (Ed25519 signatures). */
    private static final String[] PROTOCOLS = {"TLSv1.3"};

    private AgentTls() {}

    public static SslContext server(PeerCredentials credentials) {
        return JdkTls.server(PeerTls.identityContext(credentials.identity(), credentials.peerCertificate(),
                credentials.caCertificate()), ClientAuth.REQUIRE, PROTOCOLS);
    }
}
