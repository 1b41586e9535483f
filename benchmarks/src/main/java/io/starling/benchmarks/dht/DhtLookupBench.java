package io.starling.benchmarks.dht;

import io.starling.benchmarks.Benchmark;
import io.starling.benchmarks.Results;
import io.starling.core.net.Contact;
import io.starling.core.net.NodeId;
import io.starling.core.random.RandomSource;
import io.starling.core.random.SeededRandom;
import io.starling.core.sim.LatencyModel;
import io.starling.dht.node.DhtConfig;
import io.starling.dht.node.LookupResult;
import io.starling.dht.storage.MemoryRecordStorage;
import io.starling.dht.testkit.SimDhtCluster;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code dht-lookup}: N super-peers running the production DhtNode over the simulated network
 * (5 sites, WAN RTTs 20-160 ms), joining one after another through up to three earlier peers
 * (each join: ping seeds, look up its own id, refresh every bucket farther than its neighbours).
 * Then M lookups of random ids from random peers.
 *
 * <p>Hops = rounds of the iterative lookup until the closest node was found: a contact from the
 * origin's own table has depth 0, one first learned from the reply of a depth-d node has depth
 * d + 1, and a lookup's hops is the depth of the closest node it returns (see NodeLookup).
 * Success = the closest node returned is the true closest live peer (ground truth by sorting all
 * ids); the fraction returning exactly the true k closest is printed too.
 */
public final class DhtLookupBench implements Benchmark {
    @Override
    public String name() {
        return "dht-lookup";
    }

    @Override
    public String description() {
        return "Kademlia lookup hops over the simulated network: --peers N (1000) --lookups M (1000) --seed S (1)";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        int peers = 1000;
        int lookups = 1000;
        long seed = 1;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String v = i + 1 < args.size() ? args.get(i + 1) : null;
            switch (a) {
                case "--peers" -> peers = positive(a, v);
                case "--lookups" -> lookups = positive(a, v);
                case "--seed" -> seed = parseLong(a, v);
                default -> {
                    out.println("dht-lookup: unknown option " + a + " (use --peers N --lookups M --seed S)");
                    return 2;
                }
            }
            i++;
        }
        if (peers < 2) {
            out.println("dht-lookup: --peers must be at least 2");
            return 2;
        }
        out.println("dht-lookup: peers=" + peers + " lookups=" + lookups + " seed=" + seed);
        LatencyModel latency = LatencyModel.siteMatrix(Map.of(
                "s0|s1", 20.0, "s0|s2", 60.0, "s0|s3", 100.0, "s0|s4", 160.0,
                "s1|s2", 40.0, "s1|s3", 80.0, "s1|s4", 140.0, "s2|s3", 50.0, "s2|s4", 120.0, "s3|s4", 90.0),
                0.5, 100.0, 2.0);
        // lightweight storage: no records are stored in this benchmark, and 10k MVStores cost memory
        SimDhtCluster cluster = new SimDhtCluster(seed, DhtConfig.defaults(), latency)
                .storage(i -> new MemoryRecordStorage());
        List<String> sites = List.of("s0", "s1", "s2", "s3", "s4");
        long t0 = System.nanoTime();
        int step = Math.max(1, peers / 10);
        for (int done = 0; done < peers; done += step) {
            cluster.grow(Math.min(step, peers - done), sites);
            out.printf("  joined %d peers (%.1f s wall, %.0f s virtual)%n", cluster.peers().size(),
                    (System.nanoTime() - t0) / 1e9, cluster.sim().nowMillis() / 1000.0);
        }
        cluster.checkInvariants();
        long tables = 0;
        for (SimDhtCluster.Peer p : cluster.peers()) {
            tables += p.node.routingTableUnsafe().size();
        }
        out.printf("  mean routing-table size %.1f contacts%n", tables / (double) peers);

        RandomSource random = new SeededRandom(seed).derive("lookups");
        int[] hops = new int[lookups];
        int success = 0;
        int exactK = 0;
        long queried = 0;
        int k = cluster.config().k();
        for (int i = 0; i < lookups; i++) {
            SimDhtCluster.Peer origin = cluster.peer(random.nextInt(peers));
            byte[] b = new byte[NodeId.BYTES];
            random.nextBytes(b);
            NodeId target = NodeId.of(b);
            CompletableFuture<LookupResult> f = origin.node.lookup(target);
            cluster.sim().runUntil(f::isDone, 120_000);
            LookupResult r = f.isDone() && !f.isCompletedExceptionally() ? f.join() : null;
            List<NodeId> truth = trueClosest(cluster, target, origin.id(), k);
            if (r != null && !r.closest().isEmpty() && r.closest().get(0).id().equals(truth.get(0))) {
                success++;
            }
            if (r != null && r.closest().stream().map(Contact::id).toList().equals(truth)) {
                exactK++;
            }
            hops[i] = r == null ? Integer.MAX_VALUE : r.hops();
            queried += r == null ? 0 : r.queried();
        }
        Arrays.sort(hops);
        int median = percentile(hops, 50);
        int p99 = percentile(hops, 99);
        double successRate = success / (double) lookups;
        Runtime rt = Runtime.getRuntime();
        out.printf("  exact_k_closest=%.4f mean_peers_queried=%.1f virtual_time=%.0f s wall=%.1f s cpu=%.1f s heap_used=%d MiB (max %d MiB)%n",
                exactK / (double) lookups, queried / (double) lookups, cluster.sim().nowMillis() / 1000.0,
                (System.nanoTime() - t0) / 1e9, cpuSeconds(), (rt.totalMemory() - rt.freeMemory()) >> 20, rt.maxMemory() >> 20);
        String summary = String.format("dht-lookup peers=%d median_hops=%d p99_hops=%d success=%s",
                peers, median, p99, fraction(successRate));
        Results.append(name(), Instant.ofEpochMilli(System.currentTimeMillis()).toString(), summary);
        out.println(summary);
        return 0;
    }

    private static double cpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime() / 1e9;
        }
        return -1;
    }

    private static String fraction(double v) {
        return v == 1.0 ? "1.0" : String.format("%.4f", v);
    }

    /** Nearest-rank percentile of sorted values. */
    private static int percentile(int[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static List<NodeId> trueClosest(SimDhtCluster cluster, NodeId target, NodeId exclude, int k) {
        List<NodeId> all = new ArrayList<>(cluster.peers().size());
        for (SimDhtCluster.Peer p : cluster.peers()) {
            if (!p.id().equals(exclude)) {
                all.add(p.id());
            }
        }
        all.sort(target::compareDistance);
        return all.subList(0, Math.min(k, all.size()));
    }

    private static int positive(String opt, String v) {
        long n = parseLong(opt, v);
        if (n < 1 || n > 1_000_000) {
            throw new IllegalArgumentException(opt + " must be between 1 and 1000000");
        }
        return (int) n;
    }

    private static long parseLong(String opt, String v) {
        if (v == null) {
            throw new IllegalArgumentException(opt + " needs a value");
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(opt + " must be a number, got '" + v + "'");
        }
    }

    /** Runs the benchmark directly: {@code java ... DhtLookupBench --peers 10000}. */
    public static void main(String[] args) throws Exception {
        try {
            System.exit(new DhtLookupBench().run(List.of(args), System.out));
        } catch (IllegalArgumentException e) {
            System.err.println("dht-lookup: " + e.getMessage());
            System.exit(2);
        }
    }
}
