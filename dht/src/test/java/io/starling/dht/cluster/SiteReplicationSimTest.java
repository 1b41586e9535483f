package io.starling.dht.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.core.net.Message;
import io.starling.core.random.RandomSource;
import io.starling.core.sim.LatencyModel;
import io.starling.core.sim.SimEndpoint;
import io.starling.core.sim.SizeEstimator;
import io.starling.dht.kube.KubeJson;
import io.starling.dht.kube.MergeConflictEvents;
import io.starling.dht.kube.Resources;
import io.starling.dht.node.DhtConfig;
import io.starling.dht.record.DhtRecord;
import io.starling.dht.record.MergeConflict;
import io.starling.dht.store.CollectionKey;
import io.starling.dht.store.ObjectKey;
import io.starling.dht.store.Precondition;
import io.starling.dht.store.Versioned;
import io.starling.dht.testkit.SimDhtCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Site-local replication on the simulated network: every site serves reads, writes, compare-and-set
 * and watches from its own super-peers (no WAN round trip, so WAN latency does not change local
 * latency), keeps writing when cut off, and after the heal all super-peers converge to the same
 * objects by the merge rules (different fields both survive, the same field has one winner and a
 * reported conflict, deletes stay deleted).
 */
class SiteReplicationSimTest {
    static final long SEED = 2026_1127L;
    static final CollectionKey DEPLOYS = CollectionKey.of("apps", "deployments", "shop");
    /** Asynchronous replication messages: the only ones allowed to cross sites because of a write. */
    static final List<Class<?>> CROSS_SITE_REPLICATION = List.of(ClusterMessages.PrimaryMerge.class, ClusterMessages.MergeAck.class);

    final Map<Integer, DhtClusterStore> stores = new TreeMap<>();
    final List<MergeConflict> conflicts = new ArrayList<>();
    WanCounter wan;

    /** Counts messages that cross sites, by type (the size estimator sees the message, latency the endpoints). */
    static final class WanCounter implements SizeEstimator, LatencyModel {
        final LatencyModel delegate;
        final Map<String, Integer> crossings = new TreeMap<>();
        Message last;

        WanCounter(LatencyModel delegate) {
            this.delegate = delegate;
        }

        @Override
        public long sizeOf(Message message) {
            last = message;
            return 64;
        }

        @Override
        public double oneWayMillis(SimEndpoint from, SimEndpoint to, RandomSource random) {
            if (!from.site().equals(to.site()) && last != null) {
                crossings.merge(last.getClass().getSimpleName(), 1, Integer::sum);
            }
            return delegate.oneWayMillis(from, to, random);
        }

        /** Crossing messages other than asynchronous replication. */
        int synchronousCrossings() {
            int n = 0;
            for (Map.Entry<String, Integer> e : crossings.entrySet()) {
                if (CROSS_SITE_REPLICATION.stream().noneMatch(c -> c.getSimpleName().equals(e.getKey()))) {
                    n += e.getValue();
                }
            }
            return n;
        }
    }

    /** Peers join round-robin over {@code sites} (repeat a site to give it more super-peers). */
    SimDhtCluster cluster(List<String> sites, int peers, double wanRttMillis) {
        System.out.println(getClass().getSimpleName() + " seed=" + SEED);
        wan = new WanCounter(LatencyModel.siteMatrix(Map.of(), 1.0, wanRttMillis, 0.0));
        SimDhtCluster c = new SimDhtCluster(SEED, DhtConfig.defaults(), wan);
        c.network().sizeEstimator(wan);
        c.onStart(p -> {
            DhtClusterStore s = new DhtClusterStore(p.node);
            s.onMergeConflict(conflicts::add);
            s.onMergeConflict(new MergeConflictEvents(s));
            stores.put(p.index, s);
        });
        c.grow(peers, sites);
        c.sim().runFor(3_000);
        c.checkInvariants();
        return c;
    }

    <T> T await(SimDhtCluster c, CompletableFuture<T> f) {
        c.sim().runUntil(f::isDone, 60_000);
        assertTrue(f.isDone(), "operation did not finish in virtual time");
        return f.join();
    }

    static byte[] deployment(String name, String uid, int replicas) {
        return ("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"shop\","
                + "\"uid\":\"" + uid + "\",\"labels\":{\"app\":\"" + name + "\"},\"annotations\":{}},"
                + "\"spec\":{\"replicas\":" + replicas + "}}").getBytes(StandardCharsets.UTF_8);
    }

    static ObjectNode json(byte[] b) {
        try {
            return (ObjectNode) KubeJson.MAPPER.readTree(b);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Read-modify-write with compare-and-set at one store. */
    Versioned edit(SimDhtCluster c, DhtClusterStore s, String name, java.util.function.Consumer<ObjectNode> change) {
        Versioned cur = await(c, s.get(DEPLOYS.object(name))).orElseThrow();
        ObjectNode o = json(cur.value());
        change.accept(o);
        return await(c, s.put(DEPLOYS.object(name), o.toString().getBytes(StandardCharsets.UTF_8),
                Precondition.revisionEquals(cur.revision())));
    }

    List<Integer> peersOf(SimDhtCluster c, String site) {
        List<Integer> out = new ArrayList<>();
        for (SimDhtCluster.Peer p : c.peers()) {
            if (p.contact.site().equals(site)) {
                out.add(p.index);
            }
        }
        return out;
    }

    @Test
    void writesCompareAndSetReadsAndWatchesAreServedInsideTheSite() {
        SimDhtCluster c = cluster(List.of("a", "b", "c"), 9, 400);
        DhtClusterStore atA = stores.get(0);
        DhtClusterStore otherA = stores.get(3);
        ClusterStoreContractTest.Recorder rec = new ClusterStoreContractTest.Recorder();
        otherA.watch(DEPLOYS, await(c, otherA.list(DEPLOYS)).revision(), rec);
        c.sim().runFor(1_000);
        wan.crossings.clear();
        Versioned v1 = await(c, atA.put(DEPLOYS.object("web"), deployment("web", "u1", 1), Precondition.MUST_NOT_EXIST));
        Versioned v2 = await(c, otherA.put(DEPLOYS.object("web"), deployment("web", "u1", 2), Precondition.revisionEquals(v1.revision())));
        var stale = otherA.put(DEPLOYS.object("web"), deployment("web", "u1", 3), Precondition.revisionEquals(v1.revision()));
        c.sim().runUntil(stale::isDone, 10_000);
        assertTrue(stale.isCompletedExceptionally(), "a stale compare-and-set must fail (409)");
        assertEquals(v2.revision(), await(c, atA.get(DEPLOYS.object("web"))).orElseThrow().revision());
        assertEquals(1, await(c, otherA.list(DEPLOYS)).items().size());
        c.sim().runFor(5);
        assertEquals(List.of("ADDED:web", "MODIFIED:web"), rec.summary());
        assertEquals(0, wan.synchronousCrossings(), "site-local operations crossed the WAN: " + wan.crossings);
        // the other sites get the object asynchronously, merged as their own local write
        c.sim().runFor(3_000);
        for (int i : peersOf(c, "c")) {
            Versioned there = await(c, stores.get(i).get(DEPLOYS.object("web"))).orElseThrow();
            assertEquals(2, json(there.value()).at("/spec/replicas").asInt());
        }
        assertTrue(wan.crossings.getOrDefault("PrimaryMerge", 0) > 0);
    }

    @Test
    void nodeLeasesStayInTheirSiteWhileOtherObjectsReplicate() {
        SimDhtCluster c = cluster(List.of("a", "b"), 4, 100);
        DhtClusterStore atA = stores.get(0);
        CollectionKey nodeLeases = CollectionKey.of("coordination.k8s.io", "leases", "kube-node-lease");
        CollectionKey otherLeases = CollectionKey.of("coordination.k8s.io", "leases", "shop");
        byte[] lease = "{\"kind\":\"Lease\",\"metadata\":{\"name\":\"n1\",\"uid\":\"l1\"},\"spec\":{}}"
                .getBytes(StandardCharsets.UTF_8);
        await(c, atA.put(nodeLeases.object("n1"), lease, Precondition.MUST_NOT_EXIST));
        await(c, atA.put(otherLeases.object("n1"), lease, Precondition.MUST_NOT_EXIST));
        wan.crossings.clear();
        c.sim().runFor(5_000);
        for (int i : peersOf(c, "a")) {
            assertTrue(await(c, stores.get(i).get(nodeLeases.object("n1"))).isPresent(), "home site lost its node lease");
        }
        for (int i : peersOf(c, "b")) {
            assertFalse(await(c, stores.get(i).get(nodeLeases.object("n1"))).isPresent(), "a node heartbeat crossed sites");
            assertTrue(await(c, stores.get(i).get(otherLeases.object("n1"))).isPresent(), "an ordinary Lease did not replicate");
        }
    }

    /** Virtual time of create + compare-and-set update + get at a store of site a. */
    long localOpsMillis(double wanRttMillis) {
        stores.clear();
        SimDhtCluster c = cluster(List.of("a", "b", "c"), 6, wanRttMillis);
        DhtClusterStore s = stores.get(0);
        long start = c.sim().nowMillis();
        Versioned v = await(c, s.put(DEPLOYS.object("api"), deployment("api", "u9", 1), Precondition.MUST_NOT_EXIST));
        await(c, s.put(DEPLOYS.object("api"), deployment("api", "u9", 2), Precondition.revisionEquals(v.revision())));
        await(c, s.get(DEPLOYS.object("api")));
        return c.sim().nowMillis() - start;
    }

    @Test
    void wanLatencyDoesNotChangeLocalLatency() {
        long lan = localOpsMillis(0);
        long wan400 = localOpsMillis(400);
        assertTrue(wan400 <= lan + 3, "local ops took " + wan400 + " ms with a 400 ms WAN vs " + lan + " ms without");
        assertTrue(wan400 < 50, "local ops waited for the WAN: " + wan400 + " ms");
    }

    @Test
    void cutSitesKeepWritingAndConvergeAfterTheHeal() {
        // a: 2 super-peers, b: 1, c: 3
        SimDhtCluster c = cluster(List.of("a", "a", "b", "c", "c", "c"), 6, 100);
        DhtClusterStore a = stores.get(0);
        DhtClusterStore b = stores.get(2);
        DhtClusterStore cc = stores.get(3);
        for (String n : List.of("keep", "del", "edit", "gone")) {
            await(c, a.put(DEPLOYS.object(n), deployment(n, "uid-" + n, 1), Precondition.MUST_NOT_EXIST));
        }
        c.sim().runFor(3_000);
        assertTrue(await(c, cc.get(DEPLOYS.object("gone"))).isPresent(), "replicated to site c before the cut");

        c.network().cutSites("a", "c");
        c.network().cutSites("b", "c");
        // side a+b
        await(c, b.put(DEPLOYS.object("new-ab"), deployment("new-ab", "uid-ab", 1), Precondition.MUST_NOT_EXIST));
        edit(c, a, "keep", o -> o.with("spec").put("replicas", 5));
        edit(c, b, "edit", o -> {
            o.with("metadata").with("labels").put("tier", "front");
            o.with("metadata").with("annotations").put("note", "from-ab");
        });
        edit(c, a, "gone", o -> o.with("spec").put("replicas", 9));
        c.sim().runFor(1_000);
        // side c, later in time: its annotation wins
        await(c, cc.put(DEPLOYS.object("new-c"), deployment("new-c", "uid-c", 1), Precondition.MUST_NOT_EXIST));
        await(c, cc.delete(DEPLOYS.object("del"), Precondition.NONE));
        edit(c, stores.get(4), "edit", o -> {
            o.with("metadata").with("labels").put("zone", "z1");
            o.with("metadata").with("annotations").put("note", "from-c");
        });
        await(c, stores.get(5).delete(DEPLOYS.object("gone"), Precondition.NONE));
        c.sim().runFor(10_000);
        assertTrue(await(c, a.get(DEPLOYS.object("new-c"))).isEmpty(), "the cut let a change through");

        c.network().healAll();
        c.sim().runFor(5_000);
        c.checkInvariants();

        Map<String, JsonNode> reference = null;
        for (SimDhtCluster.Peer p : c.peers()) {
            DhtClusterStore s = stores.get(p.index);
            Map<String, JsonNode> seen = new TreeMap<>();
            for (String n : List.of("keep", "del", "edit", "gone", "new-ab", "new-c")) {
                Optional<Versioned> v = await(c, s.get(DEPLOYS.object(n)));
                seen.put(n, v.map(x -> (JsonNode) json(x.value())).orElse(null));
                // every super-peer holds its site's full copy (r = 3 >= super-peers per site)
                DhtRecord local = p.node.readVerified(DEPLOYS.path(), n);
                assertNotNull(local, "peer " + p.index + " lacks " + n);
                assertEquals(v.isEmpty(), local.tombstone());
            }
            if (reference == null) {
                reference = seen;
            }
            assertEquals(reference, seen, "peer " + p.index + " (site " + p.contact.site() + ") disagrees");
            assertEquals(0, await(c, s.crossSitePending()), "replication still pending at peer " + p.index);
        }
        assertEquals(5, reference.get("keep").at("/spec/replicas").asInt());
        assertEquals(null, reference.get("del"), "deleted object is back");
        assertEquals(null, reference.get("gone"), "an edit on the other side resurrected a deleted object");
        assertNotNull(reference.get("new-ab"));
        assertNotNull(reference.get("new-c"));
        JsonNode edit = reference.get("edit");
        assertEquals("front", edit.at("/metadata/labels/tier").asText());
        assertEquals("z1", edit.at("/metadata/labels/zone").asText());
        assertEquals("from-c", edit.at("/metadata/annotations/note").asText());
        assertFalse(conflicts.isEmpty(), "the dropped annotation write was not reported");
        for (MergeConflict mc : conflicts) {
            assertEquals("edit", mc.name());
            assertEquals("/metadata/annotations/note", mc.path());
            assertEquals("\"from-ab\"", mc.losingValue());
            assertEquals(conflicts.get(0).id(), mc.id());
        }
        // the loser is recorded as one Event on the object, identical on every super-peer
        ObjectKey event = Resources.EVENTS.collection("shop").object(MergeConflictEvents.eventName(conflicts.get(0)));
        c.sim().runFor(2_000);
        JsonNode first = null;
        for (SimDhtCluster.Peer p : c.peers()) {
            JsonNode ev = json(await(c, stores.get(p.index).get(event)).orElseThrow().value());
            assertEquals("MergeConflict", ev.at("/reason").asText());
            assertEquals("edit", ev.at("/involvedObject/name").asText());
            assertEquals("Deployment", ev.at("/involvedObject/kind").asText());
            if (first == null) {
                first = ev;
            }
            assertEquals(first, ev);
        }
    }

    @Test
    void aSitesCopyAcceptsNoVersionWrittenInAnotherSite() {
        SimDhtCluster c = cluster(List.of("a", "b"), 4, 50);
        SimDhtCluster.Peer atA = c.peer(0);
        SimDhtCluster.Peer atB = c.peer(1);
        DhtRecord foreign = atB.node.sign(DEPLOYS.path(), "x", deployment("x", "u", 1), atB.node.hlc().next(), 0);
        var reply = atB.transport.request(atA.contact.address(),
                new io.starling.dht.node.DhtMessages.Store(atB.contact, List.of(foreign)), 5_000);
        var ack = (io.starling.dht.node.DhtMessages.StoreAck) await(c, reply);
        assertEquals(1, ack.rejected(), "another site's version must enter only through the merge");
        assertEquals(null, atA.node.readVerified(DEPLOYS.path(), "x"));
    }
}
