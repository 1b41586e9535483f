/** The Kubernetes API latency benchmark against a super-peer of a real local cluster. */
package io.starling.benchmarks.api;
