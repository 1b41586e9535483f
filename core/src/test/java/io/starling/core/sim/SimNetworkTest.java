package io.starling.core.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.starling.core.net.Message;
import io.starling.core.net.NodeId;
import io.starling.core.net.PeerAddress;
import io.starling.core.net.TransportException;
import io.starling.core.random.SeededRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class SimNetworkTest {
    record Echo(int n) implements Message {}

    static NodeId id(int i) {
        byte[] b = new byte[20];
        b[19] = (byte) i;
        b[0] = (byte) (i >> 8);
        return NodeId.of(b);
    }

    static final class World {
        final Simulation sim = new Simulation();
        final SimNetwork net;
        final List<SimTransport> peers = new ArrayList<>();
        final List<String> log = new ArrayList<>();

        World(long seed, LatencyModel latency, int n) {
            net = new SimNetwork(sim, new SeededRandom(seed), latency);
            for (int i = 0; i < n; i++) {
                String site = i % 2 == 0 ? "a" : "b";
                SimEventLoop loop = sim.newLoop("p" + i);
                SimTransport t = net.attach(new SimEndpoint(id(i), new PeerAddress("p" + i, 1), site), loop);
                int me = i;
                t.setHandler((sender, addr, m) -> {
                    assertTrue(loop.inEventLoop());
                    log.add(sim.nowMillis() + ":" + me + "<" + addr.host() + ":" + ((Echo) m).n());
                    return CompletableFuture.completedFuture(new Echo(((Echo) m).n() + 1));
                });
                peers.add(t);
            }
        }

        PeerAddress addr(int i) {
            return peers.get(i).localAddress();
        }
    }

    static List<String> scenario(long seed) {
        World w = new World(seed, LatencyModel.siteMatrix(java.util.Map.of("a|b", 40.0), 2.0, 100.0, 10.0), 6);
        w.net.lossProbability(0.1);
        SeededRandom r = new SeededRandom(seed + 1);
        for (int i = 0; i < 200; i++) {
            int from = r.nextInt(6);
            int to = r.nextInt(6);
            int n = i;
            w.peers.get(from).request(w.addr(to), new Echo(n), 500).whenComplete((m, e) ->
                    w.log.add(w.sim.nowMillis() + ":reply " + n + " " + (e == null ? "ok" : "fail")));
        }
        w.sim.run(10_000);
        w.net.checkInvariants();
        return w.log;
    }

    @Test
    void sameSeedSameRunDifferentSeedDifferentRun() {
        assertEquals(scenario(3), scenario(3));
        assertFalse(scenario(3).equals(scenario(4)));
    }

    record Blob(byte[] data) implements Message {}

    @Test
    void aLimitedUplinkSendsOneMessageAfterAnotherAtItsBandwidth() {
        World w = new World(1, LatencyModel.constant(10), 3);
        w.net.sizeEstimator(SizeEstimator.RECORDS).uplinkMbps(1.0); // 125,000 bytes take one second
        List<Long> arrivals = new ArrayList<>();
        w.peers.get(1).setHandler((sender, addr, m) -> {
            arrivals.add(w.sim.nowMillis());
            return CompletableFuture.completedFuture(null);
        });
        w.peers.get(0).send(w.addr(1), new Blob(new byte[125_000]));
        w.peers.get(0).send(w.addr(1), new Blob(new byte[125_000]));
        w.peers.get(2).send(w.addr(1), new Blob(new byte[1_000])); // another peer's uplink is free
        w.sim.run(5_000);
        assertEquals(3, arrivals.size(), arrivals.toString());
        assertTrue(arrivals.get(0) >= 18 && arrivals.get(0) <= 20, "small message: 8 ms on the wire + 10 ms: " + arrivals);
        assertTrue(arrivals.get(1) >= 1_010 && arrivals.get(1) <= 1_012, "first blob after 1 s + 10 ms: " + arrivals);
        assertTrue(arrivals.get(2) >= 2_010 && arrivals.get(2) <= 2_013, "second blob queued behind the first: " + arrivals);
    }

    @Test
    void requestsAnswerAfterTheRoundTripAndFeedRttSamples() {
        World w = new World(1, LatencyModel.constant(25), 2);
        List<Double> rtts = new ArrayList<>();
        w.peers.get(0).addRttListener((peer, address, rtt) -> {
            assertEquals(id(1), peer);
            rtts.add(rtt);
        });
        CompletableFuture<Message> f = w.peers.get(0).request(w.addr(1), new Echo(1), 1_000);
        w.sim.run(49);
        assertFalse(f.isDone());
        w.sim.run(50);
        assertEquals(new Echo(2), f.join());
        assertEquals(List.of(50.0), rtts);
    }

    @Test
    void aReplySentLaterStillYieldsTheModelRoundTripAsItsRttSample() {
        World w = new World(1, LatencyModel.constant(25), 2);
        SimTransport b = w.peers.get(1);
        SimEventLoop bLoop = b.loop();
        // Answers Echo 500 ms after it arrives (as after replication); fails anything else 500 ms later.
        b.setHandler((sender, addr, m) -> {
            CompletableFuture<Message> later = new CompletableFuture<>();
            bLoop.schedule(500, () -> {
                if (m instanceof Echo e) {
                    later.complete(new Echo(e.n() + 1));
                } else {
                    later.completeExceptionally(new IllegalStateException("no"));
                }
            });
            return later;
        });
        List<Double> rtts = new ArrayList<>();
        w.peers.get(0).addRttListener((peer, address, rtt) -> rtts.add(rtt));

        CompletableFuture<Message> f = w.peers.get(0).request(w.addr(1), new Echo(1), 2_000);
        w.sim.run(549);
        assertFalse(f.isDone(), "the reply left 500 ms after the request arrived");
        w.sim.run(550);
        assertEquals(new Echo(2), f.join());
        CompletableFuture<Message> g = w.peers.get(0).request(w.addr(1), new SimPiggybackTest.Ping(1), 2_000);
        w.sim.runUntil(g::isDone, 2_000);
        assertTrue(g.isCompletedExceptionally(), "remote errors are held and measured the same way");
        assertEquals(List.of(50.0, 50.0), rtts);
    }

    @Test
    void partitionsDropUntilHealedAndTimeoutsFireOnVirtualTime() {
        World w = new World(1, LatencyModel.constant(5), 2);
        w.net.cutSites("a", "b");
        CompletableFuture<Message> f = w.peers.get(0).request(w.addr(1), new Echo(1), 300);
        w.sim.run(299);
        assertFalse(f.isDone());
        w.sim.run(300);
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, f::join);
        assertEquals(TransportException.Kind.TIMEOUT, ((TransportException) e.getCause()).kind());
        w.net.healSites("a", "b");
        CompletableFuture<Message> g = w.peers.get(0).request(w.addr(1), new Echo(1), 300);
        w.sim.runUntil(g::isDone, 1_000);
        assertEquals(new Echo(2), g.join());
    }

    @Test
    void crashedPeerStopsAnsweringAndItsTimersStop() {
        World w = new World(1, LatencyModel.constant(5), 2);
        SimEventLoop loop1 = w.peers.get(1).loop();
        int[] ticks = {0};
        loop1.scheduleAtFixedRate(10, 10, () -> ticks[0]++);
        w.sim.run(100);
        assertEquals(10, ticks[0]);
        w.net.crash(w.addr(1));
        w.sim.run(200);
        assertEquals(10, ticks[0]);
        CompletableFuture<Message> f = w.peers.get(0).request(w.addr(1), new Echo(1), 100);
        w.sim.runUntil(f::isDone, 1_000);
        assertTrue(f.isCompletedExceptionally());
        assertFalse(w.net.isUp(w.addr(1)));
        w.net.checkInvariants();
    }

    @Test
    void deliveryBetweenOnePairIsFifoDespiteJitter() {
        World w = new World(9, (from, to, r) -> 1 + r.nextDouble() * 100, 2);
        List<Integer> seen = new ArrayList<>();
        w.peers.get(1).setHandler((s, a, m) -> {
            seen.add(((Echo) m).n());
            return null;
        });
        for (int i = 0; i < 50; i++) {
            w.peers.get(0).send(w.addr(1), new Echo(i));
        }
        w.sim.run(1_000);
        assertEquals(50, seen.size());
        for (int i = 0; i < 50; i++) {
            assertEquals(i, seen.get(i));
        }
        assertEquals(50, w.net.stats(w.addr(0)).messagesSent());
        assertTrue(w.net.stats(w.addr(1)).bytesReceived() > 0);
    }

    @Test
    void eventsRunInTimeThenSequenceOrder() {
        Simulation sim = new Simulation();
        SimEventLoop a = sim.newLoop("a");
        SimEventLoop b = sim.newLoop("b");
        List<String> order = new ArrayList<>();
        b.schedule(5, () -> order.add("b5"));
        a.schedule(5, () -> order.add("a5"));
        a.schedule(1, () -> order.add("a1"));
        a.execute(() -> order.add("a0"));
        sim.run(10);
        assertEquals(List.of("a0", "a1", "b5", "a5"), order);
        assertEquals(10, sim.nowMillis());
        assertEquals(Simulation.DEFAULT_EPOCH_MILLIS + 10, a.clock().wallMillis());
    }
}
