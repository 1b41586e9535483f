package io.starling.benchmarks.partition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.benchmarks.Benchmark;
import io.starling.benchmarks.Results;
import io.starling.core.sim.LatencyModel;
import io.starling.core.sim.SimNetwork;
import io.starling.core.sim.SizeEstimator;
import io.starling.dht.cluster.DhtClusterStore;
import io.starling.dht.kube.MergeConflictEvents;
import io.starling.dht.node.DhtConfig;
import io.starling.dht.record.DhtRecord;
import io.starling.dht.store.CollectionKey;
import io.starling.dht.store.Precondition;
import io.starling.dht.store.Versioned;
import io.starling.dht.testkit.SimDhtCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code partition-heal}: three sites (two super-peers each, 50 ms WAN) running the production
 * DHT store on the simulated network. N ConfigMaps exist everywhere; site c is cut from a+b; each
 * side changes every object (its own label, and the same annotation on both sides); then the cut
 * heals. Measured on virtual time: how long until every super-peer holds identical copies of all
 * objects, the bytes all peers sent meanwhile (estimated wire sizes), and acknowledged writes
 * missing from the result (must be 0).
 */
public final class PartitionHealBench implements Benchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CollectionKey CONFIGMAPS = CollectionKey.of("", "configmaps", "bench");
    private static final long CHECK_STEP_MILLIS = 50;

    @Override
    public String name() {
        return "partition-heal";
    }

    @Override
    public String description() {
        return "convergence time and bytes after a WAN cut heals, N objects changed on each side (simulated): --objects N (1000) --seed S";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        int objects = 1000;
        long seed = 1;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if ((a.equals("--objects") || a.equals("--seed")) && i + 1 < args.size()) {
                try {
                    long v = Long.parseLong(args.get(++i));
                    if (a.equals("--objects")) {
                        objects = (int) v;
                    } else {
                        seed = v;
                    }
                } catch (NumberFormatException e) {
                    objects = -1;
                }
            } else {
                out.println("partition-heal: use --objects N --seed S");
                return 2;
            }
        }
        if (objects < 1 || objects > 100_000) {
            out.println("partition-heal: --objects must be 1..100000");
            return 2;
        }
        Map<Integer, DhtClusterStore> stores = new TreeMap<>();
        AtomicLong conflicts = new AtomicLong();
        SimDhtCluster c = new SimDhtCluster(seed, DhtConfig.defaults(),
                LatencyModel.siteMatrix(Map.of(), 1.0, 50.0, 0.0));
        c.network().sizeEstimator(SizeEstimator.RECORDS);
        c.onStart(p -> {
            DhtClusterStore s = new DhtClusterStore(p.node);
            s.onMergeConflict(x -> conflicts.incrementAndGet());
            s.onMergeConflict(new MergeConflictEvents(s));
            stores.put(p.index, s);
        });
        c.grow(6, List.of("a", "a", "b", "b", "c", "c"));
        c.sim().runFor(3_000);
        DhtClusterStore siteA = stores.get(0);
        DhtClusterStore siteC = stores.get(4);

        List<CompletableFuture<Versioned>> creates = new ArrayList<>();
        for (int i = 0; i < objects; i++) {
            creates.add(siteA.put(CONFIGMAPS.object(name(i)), configMap(i), Precondition.MUST_NOT_EXIST));
        }
        awaitAll(c, creates);
        awaitReplicated(c, stores, 60_000);
        out.printf("  %d ConfigMaps on 6 super-peers in 3 sites%n", objects);

        c.network().cutSites("a", "c");
        c.network().cutSites("b", "c");
        List<CompletableFuture<Versioned>> ab = changeAll(c, siteA, objects, "side-ab");
        List<CompletableFuture<Versioned>> cc = changeAll(c, siteC, objects, "side-c");
        long ackedAb = awaitAll(c, ab);
        long ackedC = awaitAll(c, cc);
        c.sim().runFor(2_000);
        out.printf("  during the cut: %d writes acknowledged on side a+b, %d on side c%n", ackedAb, ackedC);

        long bytesBefore = bytesSent(c.network());
        c.network().healAll();
        long healedAt = c.sim().nowMillis();
        long deadline = healedAt + 600_000;
        while (!converged(c, objects) && c.sim().nowMillis() < deadline) {
            c.sim().runFor(CHECK_STEP_MILLIS);
        }
        long convergeMs = c.sim().nowMillis() - healedAt;
        if (c.sim().nowMillis() >= deadline) {
            out.println("  did not converge within 600 s of virtual time");
        }
        long bytes = bytesSent(c.network()) - bytesBefore;
        long lost = lost(c, objects, ab, cc);
        String summary = String.format("partition-heal objects=%d converge_ms=%d bytes=%d lost=%d", objects, convergeMs, bytes, lost);
        Results.append(name(), Instant.now().toString(),
                summary + String.format(" (conflicts_reported=%d seed=%d sites=3 super_peers=6 wan_rtt_ms=50 sim)", conflicts.get(), seed));
        out.println(summary);
        return 0;
    }

    private static String name(int i) {
        return String.format("cm-%05d", i);
    }

    private static byte[] configMap(int i) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("apiVersion", "v1").put("kind", "ConfigMap");
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", name(i)).put("namespace", "bench").put("uid", "uid-" + i);
        meta.putObject("labels").put("app", "bench");
        meta.putObject("annotations");
        o.putObject("data").put("index", Integer.toString(i));
        return JSON.writeValueAsBytes(o);
    }

    /** Read-modify-write of every object through {@code store}: its own label and the shared annotation. */
    private static List<CompletableFuture<Versioned>> changeAll(SimDhtCluster c, DhtClusterStore store, int objects, String side)
            throws Exception {
        List<CompletableFuture<Versioned>> writes = new ArrayList<>();
        for (int i = 0; i < objects; i++) {
            var key = CONFIGMAPS.object(name(i));
            CompletableFuture<Optional<Versioned>> read = store.get(key);
            c.sim().runUntil(read::isDone, 60_000);
            Versioned current = read.join().orElseThrow();
            ObjectNode o = (ObjectNode) JSON.readTree(current.value());
            ((ObjectNode) o.path("metadata").path("labels")).put(side, "yes");
            ((ObjectNode) o.path("metadata").path("annotations")).put("owner", side);
            writes.add(store.put(key, JSON.writeValueAsBytes(o), Precondition.revisionEquals(current.revision())));
        }
        return writes;
    }

    private static long awaitAll(SimDhtCluster c, List<CompletableFuture<Versioned>> writes) {
        CompletableFuture<Void> all = CompletableFuture.allOf(writes.stream()
                .map(f -> f.handle((v, e) -> null)).toArray(CompletableFuture[]::new));
        c.sim().runUntil(all::isDone, 600_000);
        return writes.stream().filter(f -> f.isDone() && !f.isCompletedExceptionally()).count();
    }

    private static void awaitReplicated(SimDhtCluster c, Map<Integer, DhtClusterStore> stores, long maxMillis) {
        long deadline = c.sim().nowMillis() + maxMillis;
        while (c.sim().nowMillis() < deadline) {
            c.sim().runFor(200);
            long pending = 0;
            for (DhtClusterStore s : stores.values()) {
                CompletableFuture<Integer> f = s.crossSitePending();
                c.sim().runUntil(f::isDone, 10_000);
                pending += f.join();
            }
            if (pending == 0) {
                return;
            }
        }
    }

    /** Every super-peer holds byte-identical values of every object (its site's full copy). */
    private static boolean converged(SimDhtCluster c, int objects) {
        for (int i = 0; i < objects; i++) {
            byte[] first = null;
            for (SimDhtCluster.Peer p : c.peers()) {
                DhtRecord r = p.node.readVerified(CONFIGMAPS.path(), name(i));
                if (r == null || r.value() == null) {
                    return false;
                }
                if (first == null) {
                    first = r.value();
                } else if (!Arrays.equals(first, r.value())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Acknowledged label writes whose label is missing from the converged object at any peer. */
    private static long lost(SimDhtCluster c, int objects, List<CompletableFuture<Versioned>> ab,
                             List<CompletableFuture<Versioned>> cc) throws IOException {
        long lost = 0;
        for (int i = 0; i < objects; i++) {
            for (SimDhtCluster.Peer p : c.peers()) {
                DhtRecord r = p.node.readVerified(CONFIGMAPS.path(), name(i));
                JsonNode labels = r == null || r.value() == null ? JSON.createObjectNode()
                        : JSON.readTree(new String(r.value(), StandardCharsets.UTF_8)).path("metadata").path("labels");
                if (acked(ab.get(i)) && !labels.has("side-ab")) {
                    lost++;
                }
                if (acked(cc.get(i)) && !labels.has("side-c")) {
                    lost++;
                }
            }
        }
        return lost;
    }

    private static boolean acked(CompletableFuture<Versioned> f) {
        return f.isDone() && !f.isCompletedExceptionally();
    }

    private static long bytesSent(SimNetwork net) {
        long total = 0;
        for (var s : net.allStats().values()) {
            total += s.bytesSent();
        }
        return total;
    }
}
