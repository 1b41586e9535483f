/** Pod start-up latency on a real local 2-site cluster with injected inter-site delay. */
package io.starling.benchmarks.pods;
