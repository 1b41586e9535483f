package io.starling.dht.cluster;

import io.starling.core.sim.SimEventLoop;
import io.starling.core.sim.Simulation;
import io.starling.dht.store.ClusterStore;
import io.starling.dht.store.MemoryClusterStore;
import java.util.concurrent.CompletableFuture;

class MemoryClusterStoreContractTest extends ClusterStoreContractTest {
    @Override
    protected Fixture create() {
        Simulation sim = new Simulation();
        SimEventLoop loop = sim.newLoop("memory");
        MemoryClusterStore store = new MemoryClusterStore(loop, "site-a");
        return new Fixture() {
            @Override
            public ClusterStore store() {
                return store;
            }

            @Override
            public <T> T await(CompletableFuture<T> f) {
                sim.runUntil(f::isDone, 60_000);
                return f.join();
            }

            @Override
            public void settle() {
                sim.runFor(1_000);
            }
        };
    }
}
