/**
 * The site's controller manager: level-triggered controllers (Deployment, ReplicaSet, garbage
 * collector and namespace deletion, node lifecycle, endpoints), each a reconcile of one
 * {@code namespace/name} key on its own work queue, fed by shared informers whose handlers only
 * enqueue. Only objects homed in this site are reconciled (see {@link io.starling.scheduler.controller.HomeSite}).
 * Everything runs on one event loop with injected clock and randomness, so the simulator runs
 * the same code on virtual time.
 */
package io.starling.scheduler.controller;
