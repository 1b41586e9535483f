/** Test fixtures: a virtual-time event loop and helpers for controller tests. */
package io.starling.scheduler.testing;
