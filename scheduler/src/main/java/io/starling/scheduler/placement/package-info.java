/**
 * The site scheduler. {@link io.starling.scheduler.placement.Placement} is the pure core: filter
 * (resources, nodeSelector, node affinity, inter-pod affinity, taints, unschedulable/NotReady
 * nodes) then score (Vivaldi proximity to the pod's users first, balanced allocation to break
 * near-ties, node name last). {@link io.starling.scheduler.placement.NodeInfo} and
 * {@link io.starling.scheduler.placement.PodInfo} are thin adapters over fabric8 Node/Pod.
 * {@link io.starling.scheduler.placement.SiteScheduler} is the loop that watches the store, feeds
 * the core one pod at a time, binds with compare-and-set and spills pods to other sites.
 */
package io.starling.scheduler.placement;
