/**
 * The site's controller manager: level-triggered controllers (Deployment, ReplicaSet, garbage
 * collector, namespace deletion, pod GC, node lifecycle, endpoints), each a reconcile of one key on
 * its own work queue, fed by shared informers whose handlers only enqueue. Only objects homed in
 * this site are reconciled (see {@link io.starling.scheduler.controller.HomeSite}; objects without
 * a home-site annotation belong to the configured default home site). Everything runs on one event
 * loop with injected clock and randomness, so the simulator runs the same code on virtual time.
 *
 * <p>What the controllers expect from the other components:
 * <ul>
 *   <li>API gateway: bumps metadata.generation on every spec change (kubectl rollout status waits
 *       for status.observedGeneration to catch up); on DELETE with propagationPolicy Foreground or
 *       Orphan sets deletionTimestamp plus the {@code foregroundDeletion} / {@code orphan}
 *       finalizer instead of removing the object; on DELETE of a Namespace sets its
 *       deletionTimestamp; on DELETE of a pod bound to a node sets deletionTimestamp (graceful).</li>
 *   <li>Node agent: renews the Lease kube-node-lease/&lt;node&gt; (spec.renewTime) every few
 *       seconds (or at least updates the Ready condition's lastHeartbeatTime); removes a pod
 *       object marked with deletionTimestamp once its containers stopped; stops containers of pods
 *       whose objects disappeared.</li>
 *   <li>Nodes carry the {@code starling.io/site} label; objects carry {@code starling.io/home-site}.</li>
 * </ul>
 * Node failure to replacement takes nodeGracePeriodMillis + podEvictionTimeoutMillis (10 s + 10 s
 * by default) plus scheduling and start-up; lower both per site for faster failover.
 */
package io.starling.scheduler.controller;
