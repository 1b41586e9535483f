package io.starling.core.net.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.starling.core.exec.ThreadEventLoop;
import io.starling.core.net.NodeId;
import io.starling.core.net.Piggyback;
import io.starling.core.net.netty.TestMessages.Note;
import io.starling.core.net.netty.TestMessages.Ping;
import io.starling.core.net.netty.TestMessages.Pong;
import io.starling.core.security.TestPki;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Piggyback bytes ride on requests, responses and one-way messages between real NettyTransports. */
class NettyPiggybackTest {
    private static final TestPki PKI = new TestPki();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    /** Records, in order, what reached one peer: "from <shortHex>: <text>" and "rtt <shortHex>". */
    private static final class Recorder implements Piggyback {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        volatile byte[] out;

        Recorder(String text) {
            out = text.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] outgoing() {
            return out;
        }

        @Override
        public void incoming(NodeId sender, byte[] data) {
            events.add("from " + sender.shortHex() + ": " + new String(data, StandardCharsets.UTF_8));
        }

        String next() throws InterruptedException {
            return events.poll(10, TimeUnit.SECONDS);
        }
    }

    private NettyTransport start(TestPki.Peer peer, Recorder recorder) {
        ThreadEventLoop loop = new ThreadEventLoop("peer-" + peer.identity().nodeId().shortHex());
        open.add(loop);
        NettyTransport t = new NettyTransport(NettyTransportConfig.builder().bind("127.0.0.1", 0).build(), peer.tls(),
                peer.identity().nodeId(), loop, TestMessages.registry());
        open.add(t);
        t.setPiggyback(recorder);
        t.addRttListener((id, address, rtt) -> recorder.events.add("rtt " + id.shortHex()));
        t.setHandler((sender, address, m) -> m instanceof Ping p
                ? CompletableFuture.completedFuture(new Pong(p.text(), sender)) : null);
        return t;
    }

    @Test
    void requestAndResponseCarryEachSidesBytesAndTheReplyBytesPrecedeTheRttSample() throws Exception {
        TestPki.Peer pa = PKI.peer(), pb = PKI.peer();
        Recorder ra = new Recorder("coords of a"), rb = new Recorder("coords of b");
        NettyTransport a = start(pa, ra), b = start(pb, rb);
        String aHex = pa.identity().nodeId().shortHex(), bHex = pb.identity().nodeId().shortHex();

        a.request(b.localAddress(), new Ping("x"), 5_000).get(10, TimeUnit.SECONDS);
        assertEquals("from " + aHex + ": coords of a", rb.next());
        assertEquals("from " + bHex + ": coords of b", ra.next());
        assertEquals("rtt " + bHex, ra.next());

        // The bytes are read per message: a change shows up on the next one.
        rb.out = "moved".getBytes(StandardCharsets.UTF_8);
        a.request(b.localAddress(), new Ping("y"), 5_000).get(10, TimeUnit.SECONDS);
        assertEquals("from " + aHex + ": coords of a", rb.next());
        assertEquals("from " + bHex + ": moved", ra.next());
        assertEquals("rtt " + bHex, ra.next());

        a.send(b.localAddress(), new Note(1));
        assertEquals("from " + aHex + ": coords of a", rb.next());
    }

    @Test
    void oversizeOrMissingBytesAreLeftOffButTheMessageStillArrives() throws Exception {
        TestPki.Peer pa = PKI.peer(), pb = PKI.peer();
        Recorder ra = new Recorder("a"), rb = new Recorder("b");
        NettyTransport a = start(pa, ra), b = start(pb, rb);
        ra.out = new byte[Piggyback.MAX_BYTES + 1];
        rb.out = null;
        Pong pong = (Pong) a.request(b.localAddress(), new Ping("big"), 5_000).get(10, TimeUnit.SECONDS);
        assertEquals("big", pong.text());
        assertEquals("rtt " + pb.identity().nodeId().shortHex(), ra.next());
        assertNull(rb.events.poll(), "nothing arrived at b");
    }

    @Test
    void codecSkipsAnOversizePiggybackAndKeepsTheMessage() {
        KryoCodec codec = new KryoCodec(TestMessages.registry());
        byte[] ok = {1, 2, 3};
        Envelope back = codec.decode(codec.encode(Envelope.request(9, null, new Ping("p")).withPiggyback(ok)));
        assertEquals(3, back.piggyback().length);
        assertEquals(new Ping("p"), back.payload());
        // Forge an oversize piggyback on the wire (our encoder never writes one).
        byte[] frame = codec.encode(Envelope.request(9, null, new Ping("p")));
        int at = 1 + 1 + 8 + 1; // version, kind, request id, sender flag
        byte[] forged = new byte[frame.length + Piggyback.MAX_BYTES + 1];
        System.arraycopy(frame, 0, forged, 0, at);
        forged[at] = (byte) (Piggyback.MAX_BYTES + 1); // varint length, fits one byte
        System.arraycopy(frame, at + 1, forged, at + 1 + Piggyback.MAX_BYTES + 1, frame.length - at - 1);
        Envelope skipped = codec.decode(forged);
        assertNull(skipped.piggyback());
        assertEquals(new Ping("p"), skipped.payload());
    }
}
