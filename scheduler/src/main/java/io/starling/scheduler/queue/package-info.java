/**
 * The machinery every level-triggered loop of a site (controllers, scheduler) runs on: a work queue
 * of keys that merges duplicates and never hands out one key twice at once, per-key exponential
 * back-off, a runner that drives a reconcile function from the queue on an event loop, and a
 * shared informer that keeps a sorted local cache of one resource from list + watch and only
 * enqueues from its handlers. Modelled on client-go's workqueue and shared informer, written for a
 * single event loop (no threads, no locks, virtual time in simulation).
 */
package io.starling.scheduler.queue;
