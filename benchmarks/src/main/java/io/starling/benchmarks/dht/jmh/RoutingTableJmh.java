package io.starling.benchmarks.dht.jmh;

import io.starling.core.net.Contact;
import io.starling.core.net.NodeId;
import io.starling.core.net.PeerAddress;
import io.starling.core.random.SeededRandom;
import io.starling.dht.kademlia.RoutingTable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Routing-table updates (every message observes its sender) and closest-k queries (every FIND_NODE). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RoutingTableJmh {
    static final int POOL = 4096;
    RoutingTable table;
    Contact[] contacts;
    NodeId[] targets;
    int i;
    long now;

    @Setup
    public void setUp() {
        SeededRandom r = new SeededRandom(3);
        NodeId self = id(r);
        table = new RoutingTable(self, 20, 8);
        contacts = new Contact[POOL];
        targets = new NodeId[POOL];
        for (int k = 0; k < POOL; k++) {
            // a 10k-peer network as seen from one node: ids spread over the buckets a real table fills
            NodeId id = r.nextBoolean() ? id(r) : table.randomIdInBucket(r.nextInt(14), r);
            contacts[k] = new Contact(id, new PeerAddress("p" + k, 7000), "s", true);
            targets[k] = id(r);
            table.observe(contacts[k], k);
        }
    }

    static NodeId id(SeededRandom r) {
        byte[] b = new byte[NodeId.BYTES];
        r.nextBytes(b);
        return NodeId.of(b);
    }

    @Benchmark
    public RoutingTable.Update observe() {
        i = (i + 1) & (POOL - 1);
        return table.observe(contacts[i], ++now);
    }

    @Benchmark
    public boolean removeAndReadd() {
        i = (i + 1) & (POOL - 1);
        boolean removed = table.remove(contacts[i].id());
        table.observe(contacts[i], ++now);
        return removed;
    }

    @Benchmark
    public List<Contact> closest20() {
        i = (i + 1) & (POOL - 1);
        return table.closest(targets[i], 20);
    }
}
