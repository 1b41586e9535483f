package io.starling.core.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.starling.core.identity.PeerIdentity;
import io.starling.core.time.SystemClock;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterCaTest {
    private final ClusterCa ca = ClusterCa.create("unit", SystemClock.INSTANCE);

    @TempDir
    Path dir;

    @Test
    void peerCertificatesBindTheNodeIdSiteAndRoleOfTheIdentityKey() throws Exception {
        PeerIdentity id = PeerIdentity.generate(2);
        X509Certificate cert = ca.issuePeerCertificate(id.publicKey(), "berlin-1", PeerRole.EDGE);
        cert.verify(ca.certificate().getPublicKey());
        assertEquals(id.nodeId(), PeerCertificates.nodeIdOf(cert));
        assertEquals("berlin-1", PeerCertificates.siteOf(cert).orElseThrow());
        assertEquals(PeerRole.EDGE, PeerCertificates.roleOf(cert).orElseThrow());
        assertTrue(cert.getSubjectX500Principal().getName().contains("CN=" + id.nodeId().toHex()));
        assertThrows(IllegalArgumentException.class, () -> ca.issuePeerCertificate(id.publicKey(), "bad site!", PeerRole.EDGE));
    }

    @Test
    void aCertificateWithoutANodeIdBindingAuthenticatesNobody() {
        X509Certificate user = ca.issueClientCertificate("alice", List.of()).certificate();
        assertThrows(IllegalArgumentException.class, () -> PeerCertificates.authenticate(new X509Certificate[] {user}));
    }

    @Test
    void serverAndClientCertificatesCarryWhatKubernetesReads() throws Exception {
        KeyPair kp = Keys.newEcP256();
        X509Certificate server = ca.issueServerCertificate(kp, List.of("127.0.0.1", "localhost", "::1"));
        List<String> sans = new ArrayList<>();
        for (List<?> san : server.getSubjectAlternativeNames()) {
            sans.add(san.get(0) + "=" + san.get(1));
        }
        assertTrue(sans.contains("7=127.0.0.1"), sans.toString());
        assertTrue(sans.contains("2=localhost"), sans.toString());
        assertEquals(3, sans.size());
        assertTrue(server.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"));

        ClusterCa.IssuedCertificate admin = ca.issueClientCertificate("admin", List.of("system:masters", "devs"));
        X500Principal subject = admin.certificate().getSubjectX500Principal();
        String rfc = subject.getName(X500Principal.RFC2253);
        assertTrue(rfc.contains("CN=admin") && rfc.contains("O=system:masters") && rfc.contains("O=devs"), rfc);
        assertEquals("EC", admin.privateKey().getAlgorithm());
    }

    @Test
    void theCaSurvivesSaveAndLoadWithItsKeyPrivate() throws Exception {
        ca.save(dir);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca.key"))));
        assertTrue(ClusterCa.existsIn(dir));
        ClusterCa loaded = ClusterCa.load(dir, SystemClock.INSTANCE);
        assertArrayEquals(ca.publicKeyHash(), loaded.publicKeyHash());
        PeerIdentity id = PeerIdentity.generate(2);
        loaded.issuePeerCertificate(id.publicKey(), "s", PeerRole.SUPER).verify(ca.certificate().getPublicKey());
    }

    @Test
    void credentialsRefuseACertificateForAnotherKeyOrFromAnotherCa() {
        PeerIdentity a = PeerIdentity.generate(2);
        PeerIdentity b = PeerIdentity.generate(2);
        X509Certificate forA = ca.issuePeerCertificate(a.publicKey(), "s", PeerRole.SUPER);
        assertThrows(IllegalArgumentException.class, () -> new PeerCredentials(b, forA, ca.certificate(), null, null));
        ClusterCa other = ClusterCa.create("other", SystemClock.INSTANCE);
        assertThrows(IllegalArgumentException.class, () -> new PeerCredentials(a, forA, other.certificate(), null, null));
        assertThrows(IllegalArgumentException.class, () -> PeerCredentials.load(dir));
    }

    @Test
    void anHttpsServerCertificateFromTheCaCompletesAHandshakeWithAUserCertificate() throws Exception {
        KeyPair kp = Keys.newEcP256();
        X509Certificate serverCert = ca.issueServerCertificate(kp, List.of("127.0.0.1"));
        ClusterCa.IssuedCertificate user = ca.issueClientCertificate("admin", List.of("system:masters"));
        SslContext server = PeerTls.httpsServer(kp.getPrivate(), serverCert, ca.certificate(), ClientAuth.REQUIRE).build();
        SslContext client = PeerTls.httpsClient(user.privateKey(), user.certificate(), ca.certificate()).build();
        CompletableFuture<String> seenUser = new CompletableFuture<>();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            SslHandler ssl = server.newHandler(ch.alloc());
                            ch.pipeline().addLast(ssl);
                            ssl.handshakeFuture().addListener(f -> {
                                if (f.isSuccess()) {
                                    seenUser.complete(((X509Certificate) ssl.engine().getSession().getPeerCertificates()[0])
                                            .getSubjectX500Principal().getName());
                                } else {
                                    seenUser.completeExceptionally(f.cause());
                                }
                            });
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast(client.newHandler(c.alloc(), "127.0.0.1", port));
                        }
                    }).connect("127.0.0.1", port).sync().channel();
            assertTrue(ch.pipeline().get(SslHandler.class).handshakeFuture().await(10, TimeUnit.SECONDS));
            assertTrue(ch.pipeline().get(SslHandler.class).handshakeFuture().isSuccess(),
                    "client verifies the server's IP SAN against the CA");
            assertTrue(seenUser.get(10, TimeUnit.SECONDS).contains("CN=admin"));
            ch.close().sync();
            listener.close().sync();
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).sync();
        }
        assertFalse(seenUser.isCompletedExceptionally());
    }
}
