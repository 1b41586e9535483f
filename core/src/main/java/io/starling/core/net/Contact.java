package io.starling.core.net;

/** A peer as other peers know it: its node id, where it listens, its site and whether it is a super-peer. */
public record Contact(NodeId id, PeerAddress address, String site, boolean superPeer) {
    public Contact {
        if (id == null || address == null || site == null) {
            throw new IllegalArgumentException("contact needs id, address and site");
        }
    }
}
