/** The terminal progress bar: the one place of the simulator allowed to read wall time. */
package io.starling.simulator.progress;
