/**
 * Shared pieces of the benchmarks that run a real local cluster: starting {@code starling up} as a
 * child process (and never leaving a process behind), an HTTPS client built from the kubeconfig,
 * and percentiles.
 */
package io.starling.benchmarks.cluster;
