/**
 * The pure Kademlia core (Maymounkov and Mazieres, 2002): XOR-metric k-bucket routing table with
 * LRU order, replacement cache and ping-before-evict, and the iterative parallel lookup as a state
 * machine. No I/O, no clocks: callers pass the time and carry out the returned actions.
 */
package io.starling.dht.kademlia;
