/**
 * Garbage collection by ownerReferences (background, foreground, orphan), namespace deletion, and
 * removal of pod objects no node will ever finalize (unbound, or their node is gone).
 */
package io.starling.scheduler.controller.gc;
