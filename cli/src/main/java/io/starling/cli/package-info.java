/** The starling command line: peers, the local cluster, operator tools and benchmarks. */
package io.starling.cli;
