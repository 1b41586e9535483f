package io.starling.core.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.starling.core.net.Message;
import io.starling.core.net.NodeId;
import io.starling.core.net.PeerAddress;
import io.starling.core.net.Piggyback;
import io.starling.core.random.SeededRandom;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Piggyback bytes travel with simulated requests, replies and one-way messages, as over Netty. */
class SimPiggybackTest {
    record Ping(int n) implements Message {}

    /** Logs what reached one peer, in order, into a log shared by the whole run. */
    private static final class Recorder implements Piggyback {
        final String name;
        final List<String> log;
        byte[] out;

        Recorder(String name, List<String> log) {
            this.name = name;
            this.log = log;
            this.out = ("coords of " + name).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] outgoing() {
            return out;
        }

        @Override
        public void incoming(NodeId sender, byte[] data) {
            log.add(name + " got '" + new String(data, StandardCharsets.UTF_8) + "' from " + sender.shortHex());
        }
    }

    private static NodeId id(int i) {
        byte[] b = new byte[20];
        b[19] = (byte) i;
        return NodeId.of(b);
    }

    @Test
    void bytesRideOnRequestsAndRepliesAndArriveBeforeTheRttSample() {
        Simulation sim = new Simulation();
        SimNetwork net = new SimNetwork(sim, new SeededRandom(7), LatencyModel.constant(10));
        List<String> log = new ArrayList<>();
        Recorder ra = new Recorder("a", log), rb = new Recorder("b", log);
        SimTransport a = net.attach(new SimEndpoint(id(1), new PeerAddress("a", 1), "s"), sim.newLoop("a"));
        SimTransport b = net.attach(new SimEndpoint(id(2), new PeerAddress("b", 1), "s"), sim.newLoop("b"));
        a.setPiggyback(ra);
        b.setPiggyback(rb);
        a.addRttListener((peer, address, rtt) -> log.add("a rtt " + peer.shortHex() + " " + rtt));
        b.setHandler((sender, address, m) -> {
            log.add("b handles " + m);
            return CompletableFuture.completedFuture(m);
        });

        CompletableFuture<Message> reply = a.request(b.localAddress(), new Ping(1), 1_000);
        rb.out = "b moved".getBytes(StandardCharsets.UTF_8); // read when the reply leaves, not before
        sim.runUntil(reply::isDone, 10_000);
        assertEquals(new Ping(1), reply.join());
        String ah = id(1).shortHex(), bh = id(2).shortHex();
        assertEquals(List.of(
                "b got 'coords of a' from " + ah,
                "b handles Ping[n=1]",
                "a got 'b moved' from " + bh,
                "a rtt " + bh + " 20.0"), log);

        log.clear();
        a.send(b.localAddress(), new Ping(2));
        sim.runUntil(() -> log.size() == 2, 10_000);
        assertEquals("b got 'coords of a' from " + ah, log.get(0));
    }

    @Test
    void oversizeBytesAreLeftOffAndCountedOtherwise() {
        Simulation sim = new Simulation();
        SimNetwork net = new SimNetwork(sim, new SeededRandom(7), LatencyModel.constant(10));
        List<String> log = new ArrayList<>();
        Recorder ra = new Recorder("a", log);
        SimTransport a = net.attach(new SimEndpoint(id(1), new PeerAddress("a", 1), "s"), sim.newLoop("a"));
        SimTransport b = net.attach(new SimEndpoint(id(2), new PeerAddress("b", 1), "s"), sim.newLoop("b"));
        a.setPiggyback(ra);
        b.setPiggyback(new Recorder("b", log));
        b.setHandler((sender, address, m) -> CompletableFuture.completedFuture(m));

        a.send(b.localAddress(), new Ping(1));
        sim.runUntil(() -> !log.isEmpty(), 10_000);
        long withBytes = net.stats(a.localAddress()).bytesSent();
        ra.out = new byte[Piggyback.MAX_BYTES + 1];
        log.clear();
        CompletableFuture<Message> reply = a.request(b.localAddress(), new Ping(2), 1_000);
        sim.runUntil(reply::isDone, 10_000);
        assertEquals(new Ping(2), reply.join());
        assertEquals(List.of("a got 'coords of b' from " + id(2).shortHex()), log);
        assertTrue(withBytes > net.stats(a.localAddress()).bytesSent() - withBytes,
                "the second message carried no piggyback bytes");
    }
}
