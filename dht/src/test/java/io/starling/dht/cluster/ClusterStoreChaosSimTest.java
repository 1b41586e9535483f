package io.starling.dht.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.starling.core.random.SeededRandom;
import io.starling.core.sim.LatencyModel;
import io.starling.dht.node.DhtConfig;
import io.starling.dht.store.CollectionKey;
import io.starling.dht.store.Precondition;
import io.starling.dht.store.StoreException;
import io.starling.dht.store.Versioned;
import io.starling.dht.store.WatchEvent;
import io.starling.dht.testkit.SimDhtCluster;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Safety phase with message loss and a site partition, then a liveness phase without faults: every
 * peer must converge on the same value of every object; inside each site on the same revision,
 * never older than the last write acknowledged there; and the watch stream never repeats or
 * reorders a revision. (Revisions are per site since site-local replication: values, not
 * revisions, are compared across sites.)
 */
class ClusterStoreChaosSimTest {
    @Test
    void convergesAfterLossAndPartitionWithoutLosingAcknowledgedWrites() {
        long seed = 31337;
        System.out.println("ClusterStoreChaosSimTest seed=" + seed);
        Map<Integer, DhtClusterStore> stores = new TreeMap<>();
        SimDhtCluster c = new SimDhtCluster(seed, DhtConfig.defaults().withRepublishIntervalMillis(60_000),
                LatencyModel.siteMatrix(Map.of("a|b", 60.0), 1.0, 60.0, 5.0));
        c.onStart(p -> stores.put(p.index, new DhtClusterStore(p.node)));
        c.grow(20, List.of("a", "b"));
        c.sim().checkInvariantsEvery(50, () -> {
            c.checkInvariants();
            stores.values().forEach(DhtClusterStore::checkInvariants);
        });
        CollectionKey coll = CollectionKey.of("apps", "deployments", "shop");
        ClusterStoreContractTest.Recorder rec = new ClusterStoreContractTest.Recorder();
        stores.get(0).watch(coll, 0, rec);
        c.sim().runFor(2_000);

        SeededRandom r = new SeededRandom(seed);
        Map<String, Long> acked = new TreeMap<>(); // name NUL site -> newest acknowledged revision
        Map<String, Long> ackedNames = new TreeMap<>();
        c.network().lossProbability(0.03);
        for (int i = 0; i < 60; i++) {
            if (i == 20) {
                c.network().cutSites("a", "b");
            }
            if (i == 40) {
                c.network().healSites("a", "b");
            }
            String name = "d" + r.nextInt(5);
            int at = r.nextInt(20);
            CompletableFuture<Versioned> f = stores.get(at).put(coll.object(name), ("v" + i).getBytes(), Precondition.NONE);
            c.sim().runUntil(f::isDone, 120_000);
            try {
                Versioned v = f.join();
                acked.merge(name + "\u0000" + c.peer(at).contact.site(), v.revision(), Math::max);
                ackedNames.merge(name, v.revision(), Math::max);
            } catch (CompletionException e) {
                assertTrue(e.getCause() instanceof StoreException, "unexpected failure " + e.getCause());
            }
            c.checkInvariants();
        }
        assertTrue(ackedNames.size() >= 3, "too few writes acknowledged under faults: " + ackedNames);

        c.network().lossProbability(0);
        c.sim().runFor(180_000);
        for (String name : ackedNames.keySet()) {
            Set<String> values = new HashSet<>();
            Map<String, Set<Long>> revisionsBySite = new TreeMap<>();
            for (int p = 0; p < 20; p++) {
                String site = c.peer(p).contact.site();
                CompletableFuture<Optional<Versioned>> g = stores.get(p).get(coll.object(name));
                c.sim().runUntil(g::isDone, 60_000);
                Versioned v = g.join().orElseThrow();
                Long ackedHere = acked.get(name + "\u0000" + site);
                assertTrue(ackedHere == null || v.revision() >= ackedHere, "acknowledged write of " + name + " lost in " + site);
                values.add(new String(v.value()));
                revisionsBySite.computeIfAbsent(site, s -> new HashSet<>()).add(v.revision());
            }
            assertEquals(1, values.size(), "peers disagree on " + name + ": " + values);
            revisionsBySite.forEach((site, revs) -> assertEquals(1, revs.size(), "peers of " + site + " disagree on " + name));
        }
        long prev = 0;
        for (WatchEvent ev : rec.events) {
            assertTrue(ev.object().revision() > prev, "watch repeated or reordered a revision");
            prev = ev.object().revision();
        }
        stores.values().forEach(DhtClusterStore::checkInvariants);
    }
}
