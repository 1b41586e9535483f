/**
 * The deterministic simulator (issue 6): runs the production peers — {@code DhtNode},
 * {@code DhtClusterStore}/{@code StoreService} on super-peers, {@code RemoteClusterStore} on edge
 * peers, the site {@code SiteScheduler} and {@code ControllerManager} under {@code LeaderElector},
 * the {@code NodeAgent} on the {@code InMemoryBackend}, Vivaldi coordinates piggybacked on every
 * message — over core's {@code SimNetwork} on one virtual clock, wired as cli's PeerNode and
 * PeerServices wire a real peer. Nothing of the protocols is re-implemented here.
 *
 * <p>Design:
 * <ul>
 *   <li>A scenario file ({@link io.starling.simulator.scenario.ScenarioLoader}) becomes a checked
 *       {@link io.starling.simulator.scenario.Plan}; {@link io.starling.simulator.Simulator} builds
 *       the cluster from it and one seed. Super-peers form the DHT first; t0 (the start of the
 *       measured phase) is when they are done, then edge peers start and the scenario's events
 *       (workload, churn, partitions, super-peer crashes, probes) run at their times after t0.</li>
 *   <li>Determinism: one {@code SeededRandom} per run, derived by name per component; sorted maps
 *       wherever iteration drives a decision or an output; wall time only in the progress bar
 *       ({@code progress} package). summary.json therefore repeats byte for byte.</li>
 *   <li>Metrics come from what a user or operator could observe: a Pod watch at each users' site
 *       (HLC resourceVersions give create and bind times), the simulated runtime's container start
 *       times, DHT lookups issued through the node API against ground truth, the network's traffic
 *       counters, acknowledged writes read back at the end, Vivaldi coordinates against the link
 *       model's RTT.</li>
 * </ul>
 */
package io.starling.simulator;
