/** Node lifecycle: NotReady and the unreachable taint for nodes whose Lease stops, eviction of their pods. */
package io.starling.scheduler.controller.node;
