/**
 * Spill-over between sites: each site scheduler publishes a {@link io.starling.scheduler.spill.SiteSummary}
 * of its free capacity and centroid coordinate (a ConfigMap kube-system/starling-site-NAME, so it is
 * visible with kubectl and replicated by the DHT like any object), and
 * {@link io.starling.scheduler.spill.SpillPlanner} picks the nearest other site whose capacity fits a pod
 * its own site cannot place.
 */
package io.starling.scheduler.spill;
