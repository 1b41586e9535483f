package io.starling.core.join;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.starling.core.identity.PeerIdentity;
import io.starling.core.join.JoinMessages.JoinRejected;
import io.starling.core.join.JoinMessages.JoinRequest;
import io.starling.core.join.JoinMessages.JoinResponse;
import io.starling.core.net.Message;
import io.starling.core.net.PeerAddress;
import io.starling.core.net.WireRegistry;
import io.starling.core.net.netty.Envelope;
import io.starling.core.net.netty.KryoCodec;
import io.starling.core.net.netty.NettyTransportConfig;
import io.starling.core.net.netty.PeerPipeline;
import io.starling.core.net.netty.TransportStats;
import io.starling.core.security.JoinToken;
import io.starling.core.security.JoinTokenHash;
import io.starling.core.security.Keys;
import io.starling.core.security.PeerCertificates;
import io.starling.core.security.PeerCredentials;
import io.starling.core.security.PeerRole;
import io.starling.core.security.PeerTls;
import io.starling.core.security.Pem;
import io.starling.core.time.Clock;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Client side of the join protocol. Opens one TLS link to the bootstrap WITHOUT a client
 * certificate, accepts the server only if its CA matches the token's hash, sends a
 * {@link JoinRequest} signed with the identity key, and checks what comes back (the certificate
 * must be for our key, from the pinned CA; a CA key must match the CA certificate).
 */
public final class JoinClient {
    private static final long DEFAULT_TIMEOUT_MILLIS = 10_000;

    private JoinClient() {}

    /** Joins with default timeouts; the future fails with a {@link JoinException} carrying a one-line reason. */
    public static CompletableFuture<JoinResult> join(PeerAddress bootstrap, JoinToken token, PeerIdentity identity,
            String site, PeerRole role, PeerAddress advertisedAddress, Clock clock) {
        return join(bootstrap, token, identity, site, role, advertisedAddress, clock, DEFAULT_TIMEOUT_MILLIS);
    }

    public static CompletableFuture<JoinResult> join(PeerAddress bootstrap, JoinToken token, PeerIdentity identity,
            String site, PeerRole role, PeerAddress advertisedAddress, Clock clock, long timeoutMillis) {
        return join(bootstrap, token, CompletableFuture.completedFuture(identity), site, role, advertisedAddress, clock,
                timeoutMillis);
    }

    /**
     * Joins with an identity that may still be in the making: the link to the bootstrap (class
     * loading, TCP, TLS handshake) comes up meanwhile, and the signed request leaves once both are
     * ready. A new peer thus solves its S/Kademlia puzzle in parallel with connecting; the timeout
     * covers both.
     */
    public static CompletableFuture<JoinResult> join(PeerAddress bootstrap, JoinToken token,
            CompletableFuture<PeerIdentity> identity, String site, PeerRole role, PeerAddress advertisedAddress,
            Clock clock, long timeoutMillis) {
        PinnedCaTrustManager trust = new PinnedCaTrustManager(token.caHash(), clock);
        KryoCodec codec = new KryoCodec(JoinMessages.register(new WireRegistry()));
        CompletableFuture<Message> reply = new CompletableFuture<>();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeoutMillis))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler ssl = PeerTls.anonymousClient(trust).newHandler(ch.alloc(), bootstrap.host(), bootstrap.port());
                        PeerPipeline.configure(ch.pipeline(), ssl, timeoutMillis, timeoutMillis,
                                NettyTransportConfig.DEFAULT_MAX_FRAME_BYTES, codec, new TransportStats());
                        ch.pipeline().addLast(new ReplyHandler(reply));
                    }
                });
        b.connect(bootstrap.host(), bootstrap.port()).addListener(f -> {
            if (!f.isSuccess()) {
                reply.completeExceptionally(new JoinException("cannot reach bootstrap " + bootstrap + ": " + f.cause().getMessage()));
                return;
            }
            Channel ch = ((io.netty.channel.ChannelFuture) f).channel();
            ch.pipeline().get(SslHandler.class).handshakeFuture().addListener(h -> {
                if (h.isSuccess()) {
                    identity.whenComplete((id, e) -> {
                        if (e != null) {
                            reply.completeExceptionally(new JoinException("cannot make an identity: " + e.getMessage()));
                        } else {
                            ch.writeAndFlush(Envelope.request(1, advertisedAddress,
                                    request(token, id, site, role, advertisedAddress, clock)));
                        }
                    });
                } else {
                    String why = trust.refusal() != null ? "join refused: " + trust.refusal()
                            : "TLS handshake with bootstrap " + bootstrap + " failed: " + h.cause().getMessage();
                    reply.completeExceptionally(new JoinException(why));
                }
            });
            ch.closeFuture().addListener(c -> reply.completeExceptionally(
                    new JoinException("bootstrap " + bootstrap + " closed the connection without an answer")));
        });
        group.schedule(() -> reply.completeExceptionally(
                new JoinException("no answer from bootstrap " + bootstrap + " within " + timeoutMillis + " ms")),
                timeoutMillis, TimeUnit.MILLISECONDS);
        CompletableFuture<JoinResult> result = reply.thenApply(m -> accept(m, token, identity.join()));
        reply.whenComplete((m, e) -> group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS));
        return result;
    }

    private static JoinRequest request(JoinToken token, PeerIdentity identity, String site, PeerRole role,
            PeerAddress advertisedAddress, Clock clock) {
        long now = clock.wallMillis();
        byte[] proof = JoinMessages.proofBytes(token.tokenId(), token.caHash(), identity.publicKey(), now, site,
                role.wireName(), advertisedAddress);
        return new JoinRequest(token.tokenId(), token.secret(), identity.publicKey(), now, identity.sign(proof), site,
                role.wireName(), advertisedAddress);
    }

    private static JoinResult accept(Message m, JoinToken token, PeerIdentity identity) {
        if (m instanceof JoinRejected r) {
            throw new JoinException("join refused: " + r.reason());
        }
        if (!(m instanceof JoinResponse r)) {
            throw new JoinException("bootstrap answered with " + m.getClass().getSimpleName());
        }
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            X509Certificate ca = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(r.caCertificate()));
            X509Certificate peer = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(r.peerCertificate()));
            if (!MessageDigest.isEqual(token.caHash(), Keys.publicKeyHash(ca.getPublicKey()))) {
                throw new JoinException("join refused: CA certificate in the answer does not match the token");
            }
            peer.verify(ca.getPublicKey());
            if (!PeerCertificates.nodeIdOf(peer).equals(identity.nodeId())) {
                throw new JoinException("join refused: bootstrap issued a certificate for another key");
            }
            PrivateKey caKey = null;
            JoinTokenHash tokenHash = null;
            if (r.caPrivateKey().length > 0) {
                caKey = Pem.privateKey(Pem.encode(Pem.PRIVATE_KEY, r.caPrivateKey()));
                checkKeyPair(caKey, ca);
                tokenHash = new JoinTokenHash(r.tokenId(), r.tokenSecretSha256());
            }
            return new JoinResult(new PeerCredentials(identity, peer, ca, caKey, tokenHash), r.contacts());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new JoinException("join refused: bad answer from bootstrap: " + e.getMessage());
        }
    }

    private static void checkKeyPair(PrivateKey key, X509Certificate cert) throws GeneralSecurityException {
        byte[] probe = "starling-ca-key-check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key);
        s.update(probe);
        byte[] sig = s.sign();
        s.initVerify(cert.getPublicKey());
        s.update(probe);
        if (!s.verify(sig)) {
            throw new GeneralSecurityException("CA key does not match the CA certificate");
        }
    }

    /** Completes the reply with the first envelope; the link is closed afterwards. */
    private static final class ReplyHandler extends SimpleChannelInboundHandler<Envelope> {
        private final CompletableFuture<Message> reply;

        ReplyHandler(CompletableFuture<Message> reply) {
            super(Envelope.class);
            this.reply = reply;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Envelope e) {
            if (e.kind() == Envelope.Kind.RESPONSE) {
                reply.complete(e.payload());
            } else {
                reply.completeExceptionally(new JoinException("join failed: " + (e.error() != null ? e.error() : e.kind())));
            }
            ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
