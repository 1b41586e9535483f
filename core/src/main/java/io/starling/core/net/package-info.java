/**
 * Peer addressing and the {@link io.starling.core.net.Transport} interface: node ids, contacts,
 * wire messages and their registry. Implementations live in sub-packages (netty, sim).
 */
package io.starling.core.net;
