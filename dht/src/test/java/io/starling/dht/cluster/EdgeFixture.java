package io.starling.dht.cluster;

import io.starling.core.identity.PeerIdentity;
import io.starling.core.net.PeerAddress;
import io.starling.core.random.SeededRandom;
import io.starling.core.sim.LatencyModel;
import io.starling.core.sim.SimEndpoint;
import io.starling.core.sim.SimEventLoop;
import io.starling.core.sim.SimTransport;
import io.starling.dht.node.DhtConfig;
import io.starling.dht.testkit.SimDhtCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Five super-peers serving StoreService plus one edge peer with a RemoteClusterStore over them. */
final class EdgeFixture {
    final SimDhtCluster cluster;
    final Map<Integer, DhtClusterStore> stores = new TreeMap<>();
    final Map<Integer, StoreService> services = new TreeMap<>();
    final RemoteClusterStore edge;
    final SimTransport edgeTransport;

    EdgeFixture(long seed, List<Integer> siteSuperPeers) {
        cluster = new SimDhtCluster(seed, DhtConfig.defaults(), LatencyModel.constant(3));
        cluster.onStart(p -> {
            DhtClusterStore s = new DhtClusterStore(p.node);
            stores.put(p.index, s);
            services.put(p.index, new StoreService(p.node, s));
        });
        cluster.grow(5, List.of("a"));
        PeerIdentity id = PeerIdentity.deterministic(new SeededRandom(seed).derive("edge"), 0);
        SimEventLoop loop = cluster.sim().newLoop("edge");
        edgeTransport = cluster.network().attach(new SimEndpoint(id.nodeId(), new PeerAddress("edge.a", 7000), "a"), loop);
        List<PeerAddress> sps = new ArrayList<>();
        for (int i : siteSuperPeers) {
            sps.add(cluster.peer(i).contact.address());
        }
        edge = new RemoteClusterStore(edgeTransport, loop, sps, 10_000, 2_000);
        edgeTransport.setHandler(edge.inboundHandler());
    }
}
