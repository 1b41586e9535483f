/** Small value types and statistics of the simulator's measurements. */
package io.starling.simulator.metrics;
