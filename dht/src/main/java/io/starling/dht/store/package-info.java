/**
 * The store API every upper layer uses (collections, versioned objects, compare-and-set, ordered
 * watches), independent of how the DHT places and replicates records.
 */
package io.starling.dht.store;
