package io.starling.gateway.kubelet;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.starling.core.security.Keys;
import io.starling.core.security.PeerCredentials;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * The gateway's side of the mutual TLS to node agents: the super-peer presents its own peer
 * certificate (the agent accepts super-peers only) and accepts only the peer certificate of the
 * node it means to reach ({@link AgentTrustManager}). Contexts are made per expected peer, since
 * that peer is part of the trust decision.
 */
public final class AgentClientTls {
    /** Both ends are Starling peers on the JDK provider: TLS 1.3 only. */
    static final String PROTOCOL = "TLSv1.3";

    private final PrivateKey key;
    private final X509Certificate[] chain;
    private final X509Certificate caCertificate;

    public AgentClientTls(PrivateKey key, X509Certificate peerCertificate, X509Certificate caCertificate) {
        this.key = key;
        this.chain = new X509Certificate[] {peerCertificate, caCertificate};
        this.caCertificate = caCertificate;
    }

    /** The credentials of this super-peer. */
    public static AgentClientTls of(PeerCredentials credentials) {
        return new AgentClientTls(Keys.ed25519Private(credentials.identity()), credentials.peerCertificate(),
                credentials.caCertificate());
    }

    /** A Netty client context that accepts only the agent of peer {@code expectedPeerId} (hex node id). */
    public SslContext nettyFor(String expectedPeerId) {
        try {
            return SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols(PROTOCOL).keyManager(key, chain)
                    .trustManager(new AgentTrustManager(caCertificate, expectedPeerId))
                    .endpointIdentificationAlgorithm(null) // peer certificates name no hosts; the trust manager checks the peer
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the agent client TLS context: " + e.getMessage(), e);
        }
    }

    /** The same as a JDK context (for {@link java.net.http.HttpClient}). */
    public SSLContext jdkFor(String expectedPeerId) {
        return ((JdkSslContext) nettyFor(expectedPeerId)).context();
    }

    /** Parameters for the JDK client: TLS 1.3, HTTP/1.1 only. */
    static SSLParameters jdkParameters() {
        SSLParameters p = new SSLParameters();
        p.setProtocols(new String[] {PROTOCOL});
        return p;
    }
}
