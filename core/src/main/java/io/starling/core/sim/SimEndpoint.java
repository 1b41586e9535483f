package io.starling.core.sim;

import io.starling.core.net.NodeId;
import io.starling.core.net.PeerAddress;

/** A simulated peer as the network sees it. */
public record SimEndpoint(NodeId id, PeerAddress address, String site) {}
