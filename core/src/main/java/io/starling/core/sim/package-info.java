/**
 * Deterministic simulation of many peers in one JVM: one virtual clock and one event queue ordered
 * by (virtual time, sequence number) ({@link io.starling.core.sim.Simulation}), per-peer event-loop
 * views on it, and a simulated network ({@link io.starling.core.sim.SimNetwork}) whose
 * {@link io.starling.core.sim.SimTransport} implements the production Transport interface with
 * latency, loss, partitions and crashes. One seed, one run (FoundationDB sim2 style).
 */
package io.starling.core.sim;
