package io.starling.core.net.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.starling.core.exec.ThreadEventLoop;
import io.starling.core.net.Message;
import io.starling.core.net.NodeId;
import io.starling.core.net.PeerAddress;
import io.starling.core.net.TransportException;
import io.starling.core.net.netty.TestMessages.Blob;
import io.starling.core.net.netty.TestMessages.Note;
import io.starling.core.net.netty.TestMessages.Ping;
import io.starling.core.net.netty.TestMessages.Pong;
import io.starling.core.security.TestPki;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real NettyTransports with mutual TLS on 127.0.0.1. */
class NettyTransportTest {
    private static final TestPki PKI = new TestPki();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private NettyTransport start(TestPki.Peer peer, NettyTransportConfig config) {
        ThreadEventLoop loop = new ThreadEventLoop("peer-" + peer.identity().nodeId().shortHex());
        open.add(loop);
        NettyTransport t = new NettyTransport(config, peer.tls(), peer.identity().nodeId(), loop, TestMessages.registry());
        open.add(t);
        // Answers Ping with Pong naming the authenticated sender.
        t.setHandler((sender, address, m) -> m instanceof Ping p
                ? CompletableFuture.completedFuture(new Pong(p.text(), sender)) : null);
        return t;
    }

    private NettyTransport start(TestPki.Peer peer) {
        return start(peer, NettyTransportConfig.builder().bind("127.0.0.1", 0).build());
    }

    private static Message get(CompletableFuture<Message> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    private static TransportException failure(CompletableFuture<Message> f) throws Exception {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return assertInstanceOf(TransportException.class, e.getCause());
        }
        return fail("expected a failure");
    }

    @Test
    void requestsBetweenThreePeersCarryTheTlsAuthenticatedSender() throws Exception {
        TestPki.Peer pa = PKI.peer(), pb = PKI.peer(), pc = PKI.peer();
        NettyTransport a = start(pa), b = start(pb), c = start(pc);
        assertTrue(a.localAddress().port() > 0, "ephemeral port reported");
        Pong ab = (Pong) get(a.request(b.localAddress(), new Ping("a->b"), 5_000));
        Pong ac = (Pong) get(a.request(c.localAddress(), new Ping("a->c"), 5_000));
        Pong cb = (Pong) get(c.request(b.localAddress(), new Ping("c->b"), 5_000));
        assertEquals(new Pong("a->b", pa.identity().nodeId()), ab);
        assertEquals(new Pong("a->c", pa.identity().nodeId()), ac);
        assertEquals(new Pong("c->b", pc.identity().nodeId()), cb);
        // Many requests over the same link: all answered, in any order.
        List<CompletableFuture<Message>> many = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            many.add(a.request(b.localAddress(), new Ping("n" + i), 5_000));
        }
        for (int i = 0; i < 200; i++) {
            assertEquals("n" + i, ((Pong) get(many.get(i))).text());
        }
    }

    @Test
    void oneWayMessagesArriveWithTheSenderAddress() throws Exception {
        NettyTransport a = start(PKI.peer()), b = start(PKI.peer());
        BlockingQueue<Object[]> got = new LinkedBlockingQueue<>();
        b.setHandler((sender, address, m) -> {
            got.add(new Object[] {sender, address, m});
            return null;
        });
        a.send(b.localAddress(), new Note(7));
        Object[] in = got.poll(10, TimeUnit.SECONDS);
        assertEquals(a.localId(), in[0]);
        assertEquals(a.localAddress(), in[1]);
        assertEquals(new Note(7), in[2]);
    }

    @Test
    void unansweredRequestsTimeOutAndRemoteErrorsAreReported() throws Exception {
        NettyTransport a = start(PKI.peer()), b = start(PKI.peer());
        b.setHandler((sender, address, m) -> ((Ping) m).text().equals("hang") ? new CompletableFuture<>()
                : CompletableFuture.failedFuture(new IllegalStateException("no such thing")));
        TransportException timeout = failure(a.request(b.localAddress(), new Ping("hang"), 300));
        assertEquals(TransportException.Kind.TIMEOUT, timeout.kind());
        TransportException remote = failure(a.request(b.localAddress(), new Ping("err"), 5_000));
        assertEquals(TransportException.Kind.REMOTE_ERROR, remote.kind());
        assertTrue(remote.getMessage().contains("no such thing"), remote.getMessage());
    }

    @Test
    void inboundRequestsBeyondTheLimitAreAnsweredWithOverloaded() throws Exception {
        NettyTransport a = start(PKI.peer());
        NettyTransport b = start(PKI.peer(), NettyTransportConfig.builder().bind("127.0.0.1", 0).maxInboundRequests(1).build());
        CompletableFuture<Message> gate = new CompletableFuture<>();
        b.setHandler((sender, address, m) -> gate);
        CompletableFuture<Message> first = a.request(b.localAddress(), new Ping("1"), 10_000);
        TransportException second = failure(a.request(b.localAddress(), new Ping("2"), 10_000));
        assertEquals(TransportException.Kind.REMOTE_ERROR, second.kind());
        assertTrue(second.getMessage().contains("overloaded"), second.getMessage());
        gate.complete(new Pong("done", null));
        assertEquals(new Pong("done", null), get(first));
    }

    @Test
    void aLinkSilentUntilATimeoutIsReplacedWhileOneThatStillAnswersIsKept() throws Exception {
        NettyTransport a = start(PKI.peer()), b = start(PKI.peer());
        b.setHandler((sender, address, m) -> ((Ping) m).text().startsWith("hang") ? new CompletableFuture<>()
                : CompletableFuture.completedFuture(new Pong(((Ping) m).text(), sender)));
        get(a.request(b.localAddress(), new Ping("warm"), 5_000));
        CompletableFuture<Message> slow = a.request(b.localAddress(), new Ping("hang-1"), 1_000);
        get(a.request(b.localAddress(), new Ping("answered meanwhile"), 5_000));
        assertEquals(TransportException.Kind.TIMEOUT, failure(slow).kind());
        assertEquals(0, a.stats().count(TransportStats.Kind.SILENT_LINK_CLOSED),
                "a reply arrived after the timed-out request was sent: the link is alive");

        assertEquals(TransportException.Kind.TIMEOUT, failure(a.request(b.localAddress(), new Ping("hang-2"), 300)).kind());
        assertEquals(1, a.stats().count(TransportStats.Kind.SILENT_LINK_CLOSED), "nothing came back: link presumed dead");
        assertInstanceOf(Pong.class, get(a.request(b.localAddress(), new Ping("after"), 5_000)),
                "the next request opens a fresh link");
    }

    @Test
    void everyAnsweredRequestYieldsAnRttSampleAndArtificialDelayShowsInIt() throws Exception {
        TestPki.Peer pb = PKI.peer();
        NettyTransport b = start(pb);
        PeerAddress bAddress = b.localAddress();
        NettyTransport a = start(PKI.peer(), NettyTransportConfig.builder().bind("127.0.0.1", 0)
                .delayPolicy(to -> to.equals(bAddress) ? 120 : 0).build());
        BlockingQueue<Object[]> samples = new LinkedBlockingQueue<>();
        a.addRttListener((peer, address, rtt) -> samples.add(new Object[] {peer, address, rtt}));
        get(a.request(bAddress, new Ping("x"), 5_000));
        Object[] s = samples.poll(5, TimeUnit.SECONDS);
        assertEquals(pb.identity().nodeId(), s[0]);
        assertEquals(bAddress, s[1]);
        assertTrue((double) s[2] >= 120.0, "rtt includes the injected delay: " + s[2]);
        assertTrue((double) s[2] < 5_000.0);
    }

    @Test
    void theTimeAHandlerHoldsARequestIsNotPartOfTheRttSample() throws Exception {
        TestPki.Peer pb = PKI.peer();
        NettyTransport a = start(PKI.peer()), b = start(pb);
        // Answers 300 ms later on a timer, as a write waiting on WAN replication would; the loop stays free.
        b.setHandler((sender, address, m) -> {
            CompletableFuture<Message> later = new CompletableFuture<>();
            b.eventLoop().schedule(300, () -> later.complete(new Pong(((Ping) m).text(), sender)));
            return later;
        });
        BlockingQueue<Double> samples = new LinkedBlockingQueue<>();
        a.addRttListener((peer, address, rtt) -> samples.add(rtt));
        long start = a.eventLoop().clock().monoNanos();
        get(a.request(b.localAddress(), new Ping("slow"), 5_000));
        double elapsedMs = (a.eventLoop().clock().monoNanos() - start) / 1e6;
        assertTrue(elapsedMs >= 300, "the reply really waited");
        double rtt = samples.poll(5, TimeUnit.SECONDS);
        // on a loaded machine the link itself may be slow; what matters is that the hold is not in the sample
        assertTrue(rtt >= 0 && rtt < elapsedMs - 250, "rtt excludes the 300 ms hold: " + rtt + " of " + elapsedMs + " ms");
    }

    @Test
    void aBusyResponderLoopIsNotPartOfTheRttSample() throws Exception {
        NettyTransport a = start(PKI.peer()), b = start(PKI.peer());
        get(a.request(b.localAddress(), new Ping("warm up the link"), 5_000));
        BlockingQueue<Double> samples = new LinkedBlockingQueue<>();
        a.addRttListener((peer, address, rtt) -> samples.add(rtt));
        CountDownLatch busy = new CountDownLatch(1);
        b.eventLoop().execute(() -> {
            busy.countDown();
            try {
                Thread.sleep(300); // a long task occupying b's loop (GC pause, slow handler), not a timing wait
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(busy.await(5, TimeUnit.SECONDS));
        long start = a.eventLoop().clock().monoNanos();
        get(a.request(b.localAddress(), new Ping("while busy"), 5_000));
        double elapsedMs = (a.eventLoop().clock().monoNanos() - start) / 1e6;
        assertTrue(elapsedMs >= 200, "the request waited for b's loop");
        double rtt = samples.poll(5, TimeUnit.SECONDS);
        assertTrue(rtt >= 0 && rtt < elapsedMs - 150, "rtt excludes b's queueing: " + rtt + " of " + elapsedMs + " ms");
    }

    @Test
    void aRestartedPeerIsReachedAgainOnANewLink() throws Exception {
        TestPki.Peer pb = PKI.peer();
        NettyTransport a = start(PKI.peer());
        NettyTransport b = start(pb);
        int port = b.localAddress().port();
        get(a.request(b.localAddress(), new Ping("before"), 5_000));
        b.close();
        NettyTransport b2 = start(pb, NettyTransportConfig.builder().bind("127.0.0.1", port).build());
        Message after = null;
        for (int attempt = 0; attempt < 3 && after == null; attempt++) {
            try {
                after = get(a.request(b2.localAddress(), new Ping("after"), 5_000));
            } catch (ExecutionException e) {
                // the old link may still be closing on the first attempt
            }
        }
        assertEquals(new Pong("after", a.localId()), after);
    }

    @Test
    void unreachablePeersFailFastAndOversizeRequestsAreRejectedLocally() throws Exception {
        NettyTransport a = start(PKI.peer(), NettyTransportConfig.builder().bind("127.0.0.1", 0).maxFrameBytes(1024).build());
        NettyTransport b = start(PKI.peer());
        int deadPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        assertEquals(TransportException.Kind.UNREACHABLE,
                failure(a.request(new PeerAddress("127.0.0.1", deadPort), new Ping("x"), 5_000)).kind());
        TransportException big = failure(a.request(b.localAddress(), new Blob(new byte[4096]), 5_000));
        assertEquals(TransportException.Kind.REJECTED, big.kind());
        assertTrue(big.getMessage().contains("maxFrameBytes"), big.getMessage());
        assertEquals(new Pong("still fine", a.localId()), get(a.request(b.localAddress(), new Ping("still fine"), 5_000)));
    }

    @Test
    void aPeerWithACertificateFromAnotherCaIsRefusedBothWays() throws Exception {
        TestPki other = new TestPki();
        NettyTransport a = start(PKI.peer());
        NettyTransport intruder = start(other.peer());
        assertEquals(TransportException.Kind.UNREACHABLE,
                failure(intruder.request(a.localAddress(), new Ping("let me in"), 5_000)).kind());
        assertEquals(TransportException.Kind.UNREACHABLE,
                failure(a.request(intruder.localAddress(), new Ping("who are you"), 5_000)).kind());
        assertTrue(a.stats().count(TransportStats.Kind.FAILED_HANDSHAKE) >= 1);
    }

    @Test
    void garbageFromARawSocketDoesNotHurtThePeer() throws Exception {
        NettyTransport a = start(PKI.peer());
        // A short handshake timeout: the second junk announces a 64 KiB record and then stalls.
        NettyTransport b = start(PKI.peer(), NettyTransportConfig.builder().bind("127.0.0.1", 0).handshakeTimeoutMillis(1_000).build());
        for (String junk : List.of("GET / HTTP/1.1\r\nHost: x\r\n\r\n", "\u0016\u0003\u0001\u00ff\u00ffgarbage")) {
            try (Socket s = new Socket("127.0.0.1", b.localAddress().port())) {
                OutputStream out = s.getOutputStream();
                out.write(junk.getBytes(StandardCharsets.ISO_8859_1));
                byte[] noise = new byte[4096];
                new java.util.Random(1).nextBytes(noise);
                out.write(noise);
                out.flush();
                s.setSoTimeout(5_000);
                // The peer closes the link: read returns -1 or the socket resets.
                try {
                    while (s.getInputStream().read() >= 0) {
                        // drain TLS alerts
                    }
                } catch (java.io.IOException closed) {
                    // reset by peer: fine
                }
            }
        }
        assertEquals(new Pong("ok", a.localId()), get(a.request(b.localAddress(), new Ping("ok"), 5_000)));
        assertTrue(b.stats().count(TransportStats.Kind.FAILED_HANDSHAKE) >= 2);
    }

    @Test
    void theHandlerSeesTheCertificateIdNotAClaim() throws Exception {
        TestPki.Peer pa = PKI.peer();
        NettyTransport a = start(pa), b = start(PKI.peer());
        NodeId seen = ((Pong) get(a.request(b.localAddress(), new Ping("id?"), 5_000))).seenSender();
        assertEquals(PeerCertificatesView.idOf(pa), seen);
    }

    /** Reads the id straight from the certificate, independent of the transport. */
    private static final class PeerCertificatesView {
        static NodeId idOf(TestPki.Peer p) {
            return io.starling.core.security.PeerCertificates.nodeIdOf(p.certificate());
        }
    }
}
