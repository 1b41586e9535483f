package io.starling.core.join;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.starling.core.exec.ThreadEventLoop;
import io.starling.core.identity.PeerIdentity;
import io.starling.core.net.Contact;
import io.starling.core.net.Message;
import io.starling.core.net.NodeId;
import io.starling.core.net.PeerAddress;
import io.starling.core.net.WireRegistry;
import io.starling.core.net.netty.Envelope;
import io.starling.core.net.netty.KryoCodec;
import io.starling.core.net.netty.NettyTransport;
import io.starling.core.net.netty.NettyTransportConfig;
import io.starling.core.net.netty.PeerPipeline;
import io.starling.core.net.netty.TransportStats;
import io.starling.core.security.ClusterCa;
import io.starling.core.security.JoinToken;
import io.starling.core.security.PeerCredentials;
import io.starling.core.security.PeerRole;
import io.starling.core.security.PeerTls;
import io.starling.core.time.SystemClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The join protocol end to end on 127.0.0.1: a bootstrap super-peer with JoinService, joiners with JoinClient. */
class JoinTest {
    private static final int PUZZLE_BITS = 4;

    record Hello(String text) implements Message {}

    record Seen(NodeId sender) implements Message {}

    private final List<AutoCloseable> open = new ArrayList<>();
    private final ClusterCa ca = ClusterCa.create("join-test", SystemClock.INSTANCE);
    private final JoinToken token = JoinToken.generate(ca.publicKeyHash());
    private final Contact someContact = new Contact(NodeId.of(new byte[20]), new PeerAddress("127.0.0.1", 1), "site-a", true);
    private NettyTransport bootstrap;

    @TempDir
    Path dir;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private static WireRegistry registry() {
        return JoinMessages.register(new WireRegistry()).register(9500, Hello.class).register(9501, Seen.class);
    }

    private NettyTransport transport(PeerCredentials creds) {
        ThreadEventLoop loop = new ThreadEventLoop("peer");
        open.add(loop);
        NettyTransport t = new NettyTransport(NettyTransportConfig.defaults(), creds.tls(), creds.nodeId(), loop, registry());
        open.add(t);
        t.setHandler((sender, address, m) -> CompletableFuture.completedFuture(new Seen(sender)));
        return t;
    }

    private NettyTransport startBootstrap(int puzzleBits) {
        PeerCredentials creds = PeerCredentials.bootstrap(ca, PeerIdentity.generate(PUZZLE_BITS), "site-a", token.hash());
        bootstrap = transport(creds);
        new JoinService(ca, token.hash(), puzzleBits, JoinService.DEFAULT_MAX_CLOCK_SKEW_MILLIS, SystemClock.INSTANCE,
                () -> List.of(someContact)).attach(bootstrap);
        return bootstrap;
    }

    private CompletableFuture<JoinResult> join(JoinToken t, PeerIdentity id, PeerRole role) {
        return JoinClient.join(bootstrap.localAddress(), t, id, "site-b", role, new PeerAddress("127.0.0.1", 9999),
                SystemClock.INSTANCE, 10_000);
    }

    private static String refusal(CompletableFuture<JoinResult> f) throws Exception {
        try {
            f.get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return assertInstanceOf(JoinException.class, e.getCause()).getMessage();
        }
        return fail("join should have been refused");
    }

    @Test
    void anIdentityStillInTheMakingJoinsOnceItIsReady() throws Exception {
        startBootstrap(PUZZLE_BITS);
        CompletableFuture<PeerIdentity> later = new CompletableFuture<>();
        CompletableFuture<JoinResult> f = JoinClient.join(bootstrap.localAddress(), token, later, "site-b", PeerRole.EDGE,
                new PeerAddress("127.0.0.1", 9999), SystemClock.INSTANCE, 10_000);
        assertFalse(f.isDone(), "nothing can be admitted before the identity exists");
        PeerIdentity id = PeerIdentity.generate(PUZZLE_BITS);
        later.complete(id);
        JoinResult result = f.get(15, TimeUnit.SECONDS);
        assertEquals(id.nodeId(), result.credentials().nodeId());
        assertEquals(PeerRole.EDGE, result.credentials().role());
    }

    @Test
    void anIdentityThatCannotBeMadeFailsTheJoinWithItsReason() throws Exception {
        startBootstrap(PUZZLE_BITS);
        CompletableFuture<JoinResult> f = JoinClient.join(bootstrap.localAddress(), token,
                CompletableFuture.failedFuture(new IllegalStateException("no entropy")), "site-b", PeerRole.EDGE,
                new PeerAddress("127.0.0.1", 9999), SystemClock.INSTANCE, 10_000);
        assertTrue(refusal(f).contains("no entropy"));
    }

    @Test
    void aPeerJoinsWithTheRightTokenThenTalksOverMutualTlsAndSurvivesARestart() throws Exception {
        startBootstrap(PUZZLE_BITS);
        PeerIdentity id = PeerIdentity.generate(PUZZLE_BITS);
        JoinResult result = join(token, id, PeerRole.SUPER).get(15, TimeUnit.SECONDS);
        PeerCredentials creds = result.credentials();
        assertEquals(id.nodeId(), creds.nodeId());
        assertEquals("site-b", creds.site());
        assertEquals(PeerRole.SUPER, creds.role());
        assertEquals(List.of(someContact), result.contacts());
        assertTrue(creds.clusterCa(SystemClock.INSTANCE).isPresent(), "a super-peer can admit others");
        assertTrue(creds.tokenHash().orElseThrow().matches(token.tokenId(), token.secret()));

        NettyTransport joined = transport(creds);
        Seen seen = (Seen) joined.request(bootstrap.localAddress(), new Hello("hi"), 5_000).get(10, TimeUnit.SECONDS);
        assertEquals(id.nodeId(), seen.sender(), "the bootstrap authenticates the newcomer by its certificate");
        Seen back = (Seen) bootstrap.request(joined.localAddress(), new Hello("hi"), 5_000).get(10, TimeUnit.SECONDS);
        assertEquals(bootstrap.localId(), back.sender());

        creds.save(dir);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("identity.key"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca.key"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("join-token.hash"))));
        PeerCredentials loaded = PeerCredentials.load(dir);
        assertEquals(id.nodeId(), loaded.nodeId());
        assertArrayEquals(creds.peerCertificate().getEncoded(), loaded.peerCertificate().getEncoded());
        NettyTransport restarted = transport(loaded);
        assertEquals(id.nodeId(), ((Seen) restarted.request(bootstrap.localAddress(), new Hello("again"), 5_000)
                .get(10, TimeUnit.SECONDS)).sender());
    }

    @Test
    void anEdgePeerGetsNoCaKey() throws Exception {
        startBootstrap(PUZZLE_BITS);
        PeerCredentials creds = join(token, PeerIdentity.generate(PUZZLE_BITS), PeerRole.EDGE).get(15, TimeUnit.SECONDS).credentials();
        assertEquals(PeerRole.EDGE, creds.role());
        assertFalse(creds.clusterCa(SystemClock.INSTANCE).isPresent());
        assertFalse(creds.tokenHash().isPresent());
        creds.save(dir);
        assertFalse(Files.exists(dir.resolve("ca.key")));
        assertFalse(PeerCredentials.load(dir).clusterCa(SystemClock.INSTANCE).isPresent());
    }

    @Test
    void nobodyJoinsAsAnOperator() throws Exception {
        startBootstrap(PUZZLE_BITS);
        assertEquals("join refused: role must be super or edge, got 'operator'",
                refusal(join(token, PeerIdentity.generate(PUZZLE_BITS), PeerRole.OPERATOR)));
    }

    @Test
    void aWrongTokenIsRefusedWithAClearMessage() throws Exception {
        startBootstrap(PUZZLE_BITS);
        JoinToken wrong = new JoinToken(token.tokenId(), "0".repeat(32), token.caHashHex());
        assertEquals("join refused: invalid token", refusal(join(wrong, PeerIdentity.generate(PUZZLE_BITS), PeerRole.EDGE)));
    }

    @Test
    void aTokenWithAnotherCaHashIsRefusedBeforeAnythingIsSent() throws Exception {
        startBootstrap(PUZZLE_BITS);
        JoinToken otherCa = new JoinToken(token.tokenId(), token.secret(), HexFormat.of().formatHex(new byte[32]));
        String why = refusal(join(otherCa, PeerIdentity.generate(PUZZLE_BITS), PeerRole.EDGE));
        assertTrue(why.startsWith("join refused: bootstrap's CA does not match the token's CA hash"), why);
    }

    @Test
    void aKeyThatFailsThePuzzleIsRefused() throws Exception {
        startBootstrap(16);
        PeerIdentity weak;
        do {
            weak = PeerIdentity.generate(0);
        } while (PeerIdentity.satisfiesPuzzle(weak.publicKey(), 16));
        String why = refusal(join(token, weak, PeerRole.EDGE));
        assertTrue(why.startsWith("join refused: node id fails the S/Kademlia puzzle"), why);
    }

    @Test
    void aLinkWithoutCertificateMaySendNothingButAJoinRequest() throws Exception {
        startBootstrap(PUZZLE_BITS);
        X509TrustManager trustAll = (X509TrustManager) InsecureTrustManagerFactory.INSTANCE.getTrustManagers()[0];
        KryoCodec codec = new KryoCodec(registry());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            SslHandler ssl = PeerTls.anonymousClient(trustAll).newHandler(c.alloc());
                            PeerPipeline.configure(c.pipeline(), ssl, 5_000, 60_000, 1 << 20, codec, new TransportStats());
                        }
                    })
                    .connect("127.0.0.1", bootstrap.localAddress().port()).sync().channel();
            ch.pipeline().get(SslHandler.class).handshakeFuture().sync();
            ch.writeAndFlush(Envelope.request(1, null, new Hello("let me in"))).sync();
            assertTrue(ch.closeFuture().await(10, TimeUnit.SECONDS), "bootstrap closes the link");
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).sync();
        }
        assertEquals(1, bootstrap.stats().count(TransportStats.Kind.UNAUTHENTICATED_MESSAGE));
    }
}
