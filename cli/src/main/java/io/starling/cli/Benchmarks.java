package io.starling.cli;

import io.starling.benchmarks.Benchmark;
import io.starling.benchmarks.dht.DhtLookupBench;
import io.starling.benchmarks.vivaldi.VivaldiBench;
import java.util.List;

/** Every benchmark of the project, in the order `starling bench` lists them. */
final class Benchmarks {
    private Benchmarks() {}

    static List<Benchmark> all() {
        return List.of(new DhtLookupBench(), new VivaldiBench(), new io.starling.benchmarks.api.ApiLatencyBench(),
                new io.starling.benchmarks.pods.PodStartupBench(),
                new io.starling.benchmarks.memory.EdgePeerMemoryBench(), new io.starling.benchmarks.micro.JmhBench(),
                new io.starling.benchmarks.join.JoinBench(() -> EdgeJvm.flags(EdgeJvm.classPath("process")),
                        () -> EdgeJvm.classPath("process")),
                new io.starling.benchmarks.sim.SimulatePlanetBench(),
                new io.starling.benchmarks.partition.PartitionHealBench(),
                new io.starling.benchmarks.node.NodePodStartBench());
    }
}
