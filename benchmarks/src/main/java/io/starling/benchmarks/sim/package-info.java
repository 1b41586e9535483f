/** Macro benchmarks of the simulator itself (how fast it runs large scenarios). */
package io.starling.benchmarks.sim;
