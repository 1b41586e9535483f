/** Benchmarks of one node agent and its container backend. */
package io.starling.benchmarks.node;
