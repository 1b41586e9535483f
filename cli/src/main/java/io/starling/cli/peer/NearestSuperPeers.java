package io.starling.cli.peer;

import io.starling.core.net.Contact;
import io.starling.core.net.PeerAddress;
import io.starling.core.net.Transport;
import io.starling.dht.node.DhtMessages;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Orders the super-peers of an edge peer's site by round-trip time, measured with one DHT ping
 * each when the edge peer starts, so it attaches to the nearest one and fails over in order of
 * distance. Super-peers that do not answer go last, in their given order.
 */
final class NearestSuperPeers {
    static final long PING_TIMEOUT_MILLIS = 2_000;

    private NearestSuperPeers() {}

    private record Measured(PeerAddress address, int index, double rttMillis) {}

    static List<PeerAddress> order(Transport transport, Contact self, List<PeerAddress> candidates) {
        if (candidates.size() < 2) {
            return candidates;
        }
        List<CompletableFuture<Measured>> pings = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            PeerAddress a = candidates.get(i);
            int index = i;
            long start = System.nanoTime();
            pings.add(transport.request(a, new DhtMessages.Ping(self), PING_TIMEOUT_MILLIS)
                    .handle((reply, error) -> new Measured(a, index,
                            error == null ? (System.nanoTime() - start) / 1e6 : Double.POSITIVE_INFINITY)));
        }
        List<Measured> measured = new ArrayList<>();
        for (CompletableFuture<Measured> p : pings) {
            try {
                measured.add(p.get(PING_TIMEOUT_MILLIS + 1_000, TimeUnit.MILLISECONDS));
            } catch (Exception e) {
                // counted as unreachable below
            }
        }
        measured.sort(Comparator.comparingDouble(Measured::rttMillis).thenComparingInt(Measured::index));
        List<PeerAddress> ordered = new ArrayList<>();
        measured.forEach(m -> ordered.add(m.address()));
        for (PeerAddress a : candidates) {
            if (!ordered.contains(a)) {
                ordered.add(a);
            }
        }
        return ordered;
    }
}
