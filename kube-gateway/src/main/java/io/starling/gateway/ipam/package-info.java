/**
 * ClusterIP address management: {@link io.starling.gateway.ipam.ServiceCidr} is the pure range
 * and probe order (a per-site sub-block, then the rest), {@link io.starling.gateway.ipam.ClusterIpAllocator}
 * turns a candidate into an address by a compare-and-set claim record in the store, so super-peers
 * that allocate at the same time never hand out one address twice within a site.
 */
package io.starling.gateway.ipam;
