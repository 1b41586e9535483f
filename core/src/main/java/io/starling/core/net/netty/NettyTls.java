package io.starling.core.net.netty;

import io.netty.handler.ssl.SslContext;
import java.util.Objects;

/**
 * The TLS side of a peer: a server context (client certificates OPTIONAL, so joining peers without
 * one can still ask to join), a client context presenting the peer's certificate, both trusting only
 * the cluster CA, and how to read a node id from a verified certificate.
 * Built by io.starling.core.security.PeerTls.
 */
public record NettyTls(SslContext serverContext, SslContext clientContext, PeerAuthenticator authenticator) {
    public NettyTls {
        Objects.requireNonNull(serverContext, "serverContext");
        Objects.requireNonNull(clientContext, "clientContext");
        Objects.requireNonNull(authenticator, "authenticator");
    }
}
