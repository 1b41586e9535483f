package io.starling.dht.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.starling.core.net.Contact;
import io.starling.core.net.NodeId;
import io.starling.core.random.SeededRandom;
import io.starling.core.sim.LatencyModel;
import io.starling.dht.node.DhtConfig;
import io.starling.dht.node.DhtMessages;
import io.starling.dht.testkit.SimDhtCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With hundreds of super-peers (more than a routing table holds), every super-peer learns all
 * members of its site from the directory records, so all of a site agree on every collection's
 * site replica set (the true r closest of the site), and a crashed member leaves it.
 */
class SiteDirectorySimTest {
    @Test
    void hundredsOfSuperPeersAgreeOnTheTrueSiteReplicaSets() {
        long seed = 4242;
        System.out.println("SiteDirectorySimTest seed=" + seed);
        DhtConfig cfg = DhtConfig.defaults();
        SimDhtCluster c = new SimDhtCluster(seed, cfg, LatencyModel.siteMatrix(Map.of(), 1.0, 80.0, 2.0));
        List<String> sites = List.of("a", "b", "c", "d", "e");
        c.grow(250, sites);
        c.sim().runFor(2 * cfg.directoryRefreshMillis());
        c.checkInvariants();
        SeededRandom r = new SeededRandom(seed);
        for (int i = 0; i < 20; i++) {
            NodeId key = randomId(r);
            for (String site : sites) {
                List<NodeId> truth = trueSiteSet(c, site, key, cfg.replicationFactor());
                for (SimDhtCluster.Peer p : c.livePeers()) {
                    if (p.contact.site().equals(site)) {
                        assertEquals(truth, ids(p.node.siteReplicaSet(key)), "peer " + p.index + " of " + site);
                    }
                }
            }
        }
        // a crashed member drops out of the replica sets it was in once a request to it fails
        NodeId key = randomId(r);
        SimDhtCluster.Peer victim = byId(c, trueSiteSet(c, "a", key, 3).get(0));
        SimDhtCluster.Peer asker = byId(c, trueSiteSet(c, "a", key, 3).get(1));
        c.crash(victim);
        var ping = asker.node.request(victim.contact, new DhtMessages.Ping(asker.contact));
        c.sim().runUntil(ping::isDone, 10_000);
        assertTrue(ping.isCompletedExceptionally());
        assertEquals(trueSiteSet(c, "a", key, 3), ids(asker.node.siteReplicaSet(key)));
    }

    static NodeId randomId(SeededRandom r) {
        byte[] b = new byte[NodeId.BYTES];
        r.nextBytes(b);
        return NodeId.of(b);
    }

    static SimDhtCluster.Peer byId(SimDhtCluster c, NodeId id) {
        return c.peers().stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
    }

    static List<NodeId> trueSiteSet(SimDhtCluster c, String site, NodeId key, int r) {
        List<NodeId> all = new ArrayList<>();
        for (SimDhtCluster.Peer p : c.livePeers()) {
            if (p.contact.site().equals(site)) {
                all.add(p.id());
            }
        }
        all.sort(key::compareDistance);
        return all.subList(0, Math.min(r, all.size()));
    }

    static List<NodeId> ids(List<Contact> cs) {
        List<NodeId> out = new ArrayList<>();
        for (Contact x : cs) {
            out.add(x.id());
        }
        return out;
    }
}
