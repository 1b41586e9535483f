package io.starling.dht.cluster;

import io.starling.dht.store.ClusterStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The shared contract through an edge peer: RemoteClusterStore -> StoreService -> DhtClusterStore. */
class RemoteClusterStoreContractTest extends ClusterStoreContractTest {
    @Override
    protected Fixture create() {
        EdgeFixture f = new EdgeFixture(99, List.of(1, 3));
        return new Fixture() {
            @Override
            public ClusterStore store() {
                return f.edge;
            }

            @Override
            public <T> T await(CompletableFuture<T> fut) {
                f.cluster.sim().runUntil(fut::isDone, 60_000);
                return fut.join();
            }

            @Override
            public void settle() {
                f.cluster.sim().runFor(1_000);
            }
        };
    }
}
