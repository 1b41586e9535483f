package io.starling.core.security;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.starling.core.identity.PeerIdentity;
import io.starling.core.net.netty.NettyTls;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * Netty TLS contexts that trust only the cluster CA. Peer links use TLS 1.3 with the JDK provider
 * and the peer's Ed25519 identity key (built by {@link JdkTls}, not Netty's builder: see there why); the server side asks for a client certificate but does not
 * require it (ClientAuth.OPTIONAL) so a joining peer can reach the join service on the same port;
 * the transport lets such links send nothing but a join request.
 */
public final class PeerTls {
    private static final String[] PEER_PROTOCOLS = {"TLSv1.3"};
    private static final String[] HTTPS_PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private PeerTls() {}

    /** Contexts for a peer holding {@code peerCertificate} for its identity key (one JDK context serves both sides). */
    public static NettyTls forPeer(PeerIdentity identity, X509Certificate peerCertificate, X509Certificate caCertificate) {
        return forPeer(identity, peerCertificate, caCertificate, new PeerRoles());
    }

    /** As above, recording the role of every peer that authenticates into {@code roles}. */
    public static NettyTls forPeer(PeerIdentity identity, X509Certificate peerCertificate, X509Certificate caCertificate,
            PeerRoles roles) {
        SSLContext ctx = identityContext(identity, peerCertificate, caCertificate);
        return new NettyTls(JdkTls.server(ctx, ClientAuth.OPTIONAL, PEER_PROTOCOLS), JdkTls.client(ctx, PEER_PROTOCOLS),
                roles::authenticate);
    }

    /**
     * A JDK context presenting the peer's identity key with its certificate and the CA certificate
     * (the CA travels in the chain so a joining peer can pin it by its key hash), trusting the CA only.
     * Peer links and the node agent's API both use it, over TLS 1.3 (Ed25519 signatures).
     */
    public static SSLContext identityContext(PeerIdentity identity, X509Certificate peerCertificate,
            X509Certificate caCertificate) {
        if (!PeerCertificates.nodeIdOf(peerCertificate).equals(identity.nodeId())) {
            throw new IllegalArgumentException("peer certificate is for another identity");
        }
        PrivateKey key = Keys.ed25519Private(identity);
        X509Certificate[] chain = {peerCertificate, caCertificate};
        return JdkTls.sslContext(key, chain, JdkTls.trusting(caCertificate));
    }

    /** A client context without a certificate that accepts only servers {@code trustManager} accepts (join). */
    public static SslContext anonymousClient(TrustManager trustManager) {
        return JdkTls.client(JdkTls.sslContext(null, null, trustManager), PEER_PROTOCOLS);
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
