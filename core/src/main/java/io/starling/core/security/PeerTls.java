package io.starling.core.security;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.starling.core.identity.PeerIdentity;
import io.starling.core.net.netty.NettyTls;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;

/**
 * Netty TLS contexts that trust only the cluster CA. Peer links use TLS 1.3 with the JDK provider
 * and the peer's Ed25519 identity key; the server side asks for a client certificate but does not
 * require it (ClientAuth.OPTIONAL) so a joining peer can reach the join service on the same port;
 * the transport lets such links send nothing but a join request.
 */
public final class PeerTls {
    private static final String[] PEER_PROTOCOLS = {"TLSv1.3"};
    private static final String[] HTTPS_PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private PeerTls() {}

    /** Contexts for a peer holding {@code peerCertificate} for its identity key. */
    public static NettyTls forPeer(PeerIdentity identity, X509Certificate peerCertificate, X509Certificate caCertificate) {
        if (!PeerCertificates.nodeIdOf(peerCertificate).equals(identity.nodeId())) {
            throw new IllegalArgumentException("peer certificate is for another identity");
        }
        PrivateKey key = Keys.ed25519Private(identity);
        // The CA certificate travels in the chain so a joining peer can pin it by its key hash.
        X509Certificate[] chain = {peerCertificate, caCertificate};
        try {
            SslContext server = SslContextBuilder.forServer(key, chain).sslProvider(SslProvider.JDK)
                    .protocols(PEER_PROTOCOLS).clientAuth(ClientAuth.OPTIONAL).trustManager(caCertificate).build();
            SslContext client = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols(PEER_PROTOCOLS)
                    .keyManager(key, chain).trustManager(caCertificate)
                    .endpointIdentificationAlgorithm(null) // peers are identified by node id, not host name
                    .build();
            return new NettyTls(server, client, PeerCertificates::authenticate);
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build TLS contexts: " + e.getMessage(), e);
        }
    }

    /** A client context without a certificate that accepts only servers {@code trustManager} accepts (join). */
    public static SslContext anonymousClient(TrustManager trustManager) {
        try {
            return SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols(PEER_PROTOCOLS)
                    .trustManager(trustManager).endpointIdentificationAlgorithm(null).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build TLS context: " + e.getMessage(), e);
        }
    }

    /**
     * An HTTPS server context (the Kubernetes API server): TLS 1.2/1.3, client certificates from the
     * cluster CA verified when presented ({@code clientAuth} OPTIONAL) or required (REQUIRE).
     */
    public static SslContextBuilder httpsServer(PrivateKey key, X509Certificate certificate, X509Certificate caCertificate,
            ClientAuth clientAuth) {
        return SslContextBuilder.forServer(key, certificate, caCertificate).sslProvider(SslProvider.JDK)
                .protocols(HTTPS_PROTOCOLS).clientAuth(clientAuth).trustManager(caCertificate);
    }

    /** An HTTPS client context presenting {@code certificate} (tests, CLI), trusting only the CA. */
    public static SslContextBuilder httpsClient(PrivateKey key, X509Certificate certificate, X509Certificate caCertificate) {
        return SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols(HTTPS_PROTOCOLS)
                .keyManager(key, certificate).trustManager(caCertificate);
    }
}
