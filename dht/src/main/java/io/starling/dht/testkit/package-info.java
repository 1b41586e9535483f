/**
 * Builds clusters of real {@link io.starling.dht.node.DhtNode}s over the simulated network (one
 * seed, one run), for tests, the simulator and the dht-lookup benchmark.
 */
package io.starling.dht.testkit;
