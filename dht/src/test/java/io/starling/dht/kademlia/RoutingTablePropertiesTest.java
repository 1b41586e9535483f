package io.starling.dht.kademlia;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import io.starling.core.net.Contact;
import io.starling.core.net.NodeId;
import io.starling.core.net.PeerAddress;
import io.starling.core.random.SeededRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.SourceDSL;

class RoutingTablePropertiesTest {
    static Contact contact(NodeId id) {
        return new Contact(id, new PeerAddress("h" + id.shortHex(), 1), "s", true);
    }

    static NodeId randomId(SeededRandom r) {
        byte[] b = new byte[20];
        r.nextBytes(b);
        return NodeId.of(b);
    }

    @Test
    void invariantsHoldAfterRandomInsertAndRemoveSequences() {
        qt().withExamples(60).forAll(SourceDSL.longs().all(), SourceDSL.integers().between(1, 600),
                SourceDSL.integers().between(1, 20)).check((seed, ops, k) -> {
            SeededRandom r = new SeededRandom(seed);
            NodeId self = randomId(r);
            RoutingTable t = new RoutingTable(self, k, 4);
            List<NodeId> known = new ArrayList<>();
            for (int i = 0; i < ops; i++) {
                int op = r.nextInt(10);
                if (op < 6 || known.isEmpty()) {
                    // bias ids toward our own so deep buckets fill up too
                    NodeId id = r.nextBoolean() ? randomId(r) : t.randomIdInBucket(r.nextInt(12), r);
                    known.add(id);
                    RoutingTable.Update u = t.observe(contact(id), i);
                    if (u.kind() == RoutingTable.Update.Kind.BUCKET_FULL && r.nextBoolean()) {
                        t.remove(u.toPing().id()); // the ping failed
                    }
                } else if (op < 8) {
                    t.remove(known.get(r.nextInt(known.size())));
                } else {
                    t.observe(contact(known.get(r.nextInt(known.size()))), i);
                }
                t.checkInvariants();
            }
            t.observe(contact(self), ops);
            t.checkInvariants();
            return !t.contains(self);
        });
    }

    @Test
    void closestMatchesSortingEveryContact() {
        qt().withExamples(40).forAll(SourceDSL.longs().all()).check(seed -> {
            SeededRandom r = new SeededRandom(seed);
            NodeId self = randomId(r);
            RoutingTable t = new RoutingTable(self, 20, 0);
            for (int i = 0; i < 400; i++) {
                t.observe(contact(r.nextBoolean() ? randomId(r) : t.randomIdInBucket(r.nextInt(10), r)), i);
            }
            NodeId target = r.nextBoolean() ? randomId(r) : t.randomIdInBucket(r.nextInt(8), r);
            List<Contact> all = t.all();
            all.sort(Comparator.comparing(Contact::id, target::compareDistance));
            return t.closest(target, 20).equals(all.subList(0, Math.min(20, all.size())));
        });
    }

    @Test
    void fullBucketKeepsOldestUntilItsPingFails() {
        NodeId self = NodeId.of(new byte[20]);
        RoutingTable t = new RoutingTable(self, 2, 2);
        SeededRandom r = new SeededRandom(1);
        NodeId a = t.randomIdInBucket(0, r);
        NodeId b = t.randomIdInBucket(0, r);
        NodeId c = t.randomIdInBucket(0, r);
        t.observe(contact(a), 0);
        t.observe(contact(b), 1);
        RoutingTable.Update u = t.observe(contact(c), 2);
        assertEquals(RoutingTable.Update.Kind.BUCKET_FULL, u.kind());
        assertEquals(a, u.toPing().id());
        assertFalse(t.contains(c));
        t.remove(a); // ping failed
        assertTrue(t.contains(c));
        assertTrue(t.contains(b));
        t.checkInvariants();
    }

    @Test
    void edgePeersNeverEnter() {
        NodeId self = NodeId.of(new byte[20]);
        RoutingTable t = new RoutingTable(self, 20, 2);
        NodeId x = t.randomIdInBucket(3, new SeededRandom(2));
        assertEquals(RoutingTable.Update.Kind.REJECTED,
                t.observe(new Contact(x, new PeerAddress("e", 1), "s", false), 0).kind());
        assertEquals(0, t.size());
    }

    @Test
    void randomIdInBucketLandsInThatBucket() {
        qt().forAll(SourceDSL.longs().all(), SourceDSL.integers().between(0, 159)).check((seed, idx) -> {
            SeededRandom r = new SeededRandom(seed);
            RoutingTable t = new RoutingTable(randomId(r), 20, 0);
            return t.bucketIndex(t.randomIdInBucket(idx, r)) == idx;
        });
    }
}
