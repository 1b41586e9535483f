/**
 * A DHT member: {@link io.starling.dht.node.DhtNode} drives the pure Kademlia core over a
 * Transport (PING, FIND_NODE, FIND_VALUE, STORE), verifies and merges signed records into local
 * storage, refreshes buckets and keeps r copies of every record it holds (republish and repair).
 */
package io.starling.dht.node;
