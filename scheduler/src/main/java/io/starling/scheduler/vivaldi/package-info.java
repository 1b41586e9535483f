/**
 * Vivaldi network coordinates (Dabek et al., SIGCOMM 2004) with the refinements of Ledlie et al.,
 * "Network Coordinates in the Wild" (NSDI 2007): a per-neighbour latency filter and stable
 * application-level coordinates. {@link io.starling.scheduler.vivaldi.VivaldiNode} is the pure update
 * rule, {@link io.starling.scheduler.vivaldi.VivaldiService} the per-peer state fed by RTT samples, and
 * {@link io.starling.scheduler.vivaldi.VivaldiReplay} the accuracy harness that replays a measured RTT
 * matrix through the same code on virtual time. {@link io.starling.scheduler.vivaldi.VivaldiPiggyback}
 * carries coordinates on a transport's existing messages and
 * {@link io.starling.scheduler.vivaldi.CoordinatePublication} decides when the Node annotation is rewritten.
 */
package io.starling.scheduler.vivaldi;
