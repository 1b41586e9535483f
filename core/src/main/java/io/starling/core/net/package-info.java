/**
 * Peer addressing and the {@link io.starling.core.net.Transport} interface: node ids, contacts,
 * wire messages and their registry, RTT listeners and the rule that turns a round trip into their
 * sample ({@link io.starling.core.net.RttSample}: elapsed minus the responder's hold time), and the
 * {@link io.starling.core.net.Piggyback}
 * hook that lets upper layers (Vivaldi) ride a few bytes on every message. Implementations live in
 * sub-packages (netty, sim).
 */
package io.starling.core.net;
