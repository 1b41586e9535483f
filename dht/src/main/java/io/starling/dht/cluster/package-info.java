/**
 * The etcd replacement on top of the DHT: {@link io.starling.dht.cluster.DhtClusterStore} routes
 * every operation on a collection to the collection's primary (the closest live replica holder),
 * which checks compare-and-set preconditions, assigns revisions from its hybrid logical clock,
 * replicates to the other r-1 holders and serves ordered, resumable watches from a bounded change
 * log. {@link io.starling.dht.cluster.StoreService} and
 * {@link io.starling.dht.cluster.RemoteClusterStore} give edge peers the same API through their
 * super-peer, with fail-over.
 */
package io.starling.dht.cluster;
