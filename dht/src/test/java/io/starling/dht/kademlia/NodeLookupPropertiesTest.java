package io.starling.dht.kademlia;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;

import io.starling.core.net.Contact;
import io.starling.core.net.NodeId;
import io.starling.core.net.PeerAddress;
import io.starling.core.random.SeededRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.SourceDSL;

/** The pure lookup against synthetic networks where each node knows a random subset plus its neighbours. */
class NodeLookupPropertiesTest {
    @Test
    void findsTheKClosestLiveNodesAndKeepsItsBookkeeping() {
        qt().withExamples(50).forAll(SourceDSL.longs().all(), SourceDSL.integers().between(30, 300),
                SourceDSL.integers().between(0, 20)).checkAssert((seed, n, failPercent) -> {
            SeededRandom r = new SeededRandom(seed);
            List<Contact> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] b = new byte[20];
                r.nextBytes(b);
                all.add(new Contact(NodeId.of(b), new PeerAddress("h" + i, 1), "s", true));
            }
            Set<NodeId> failed = new HashSet<>();
            for (int i = 1; i < n; i++) {
                if (r.nextInt(100) < failPercent) {
                    failed.add(all.get(i).id());
                }
            }
            Contact self = all.get(0);
            byte[] t = new byte[20];
            r.nextBytes(t);
            NodeId target = NodeId.of(t);
            int k = 8;
            // everyone knows every node (a well-filled network)
            List<Contact> initial = List.of(all.get(1 + r.nextInt(n - 1)));
            NodeLookup l = new NodeLookup(target, self.id(), k, 3, initial);
            Deque<Contact> inFlight = new ArrayDeque<>();
            Set<NodeId> learned = new HashSet<>();
            initial.forEach(c -> learned.add(c.id()));
            int steps = 0;
            while (!l.done() && steps++ < 10_000) {
                inFlight.addAll(l.next());
                l.checkInvariants();
                if (inFlight.isEmpty()) {
                    break;
                }
                Contact c = r.nextBoolean() ? inFlight.pollFirst() : inFlight.pollLast();
                if (failed.contains(c.id())) {
                    l.onFailure(c.id());
                } else {
                    // a node's table never holds itself, so it answers with the k closest others
                    List<Contact> sorted = new ArrayList<>(all);
                    sorted.remove(c);
                    sorted.sort((a, b) -> target.compareDistance(a.id(), b.id()));
                    l.onReply(c.id(), sorted.subList(0, k));
                    sorted.subList(0, k).forEach(x -> learned.add(x.id()));
                }
                l.checkInvariants();
            }
            // without failures: the true k closest; with failures: the k closest live nodes it could learn of
            // (failed nodes still occupy slots in other nodes' answers, as before they are evicted)
            List<NodeId> truth = new ArrayList<>();
            for (Contact c : all) {
                boolean eligible = failed.isEmpty() || learned.contains(c.id());
                if (!c.id().equals(self.id()) && !failed.contains(c.id()) && eligible) {
                    truth.add(c.id());
                }
            }
            truth.sort(target::compareDistance);
            List<NodeId> got = l.result().stream().map(Contact::id).toList();
            assertEquals(truth.subList(0, Math.min(k, truth.size())), got,
                    "seed " + seed + ", " + n + " nodes, " + failPercent + "% failed");
        });
    }
}
