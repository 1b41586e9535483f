package io.starling.dht.cluster;

import io.starling.core.sim.LatencyModel;
import io.starling.dht.node.DhtConfig;
import io.starling.dht.store.ClusterStore;
import io.starling.dht.testkit.SimDhtCluster;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/** The shared contract against a DhtClusterStore in a 5-super-peer simulation (r = 3). */
class DhtClusterStoreContractTest extends ClusterStoreContractTest {
    @Override
    protected Fixture create() {
        SimDhtCluster cluster = new SimDhtCluster(42, DhtConfig.defaults(), LatencyModel.constant(5));
        Map<Integer, DhtClusterStore> stores = new TreeMap<>();
        cluster.onStart(p -> stores.put(p.index, new DhtClusterStore(p.node)));
        cluster.grow(5, List.of("site-a"));
        // a client whose collections' primary is usually another peer
        ClusterStore store = stores.get(2);
        return new Fixture() {
            @Override
            public ClusterStore store() {
                return store;
            }

            @Override
            public <T> T await(CompletableFuture<T> f) {
                cluster.sim().runUntil(f::isDone, 60_000);
                cluster.checkInvariants();
                stores.values().forEach(DhtClusterStore::checkInvariants);
                return f.join();
            }

            @Override
            public void settle() {
                cluster.sim().runFor(1_000);
            }
        };
    }
}
