/** The Vivaldi accuracy benchmark: replays a measured RTT matrix through the production coordinate code. */
package io.starling.benchmarks.vivaldi;
