/** Convergence after a WAN cut heals: the production store on the simulated network. */
package io.starling.benchmarks.partition;
