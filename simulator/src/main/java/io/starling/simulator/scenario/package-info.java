/** Scenario files: the YAML model ({@link io.starling.simulator.scenario.Scenario}), its checks and the resolved {@link io.starling.simulator.scenario.Plan}. */
package io.starling.simulator.scenario;
