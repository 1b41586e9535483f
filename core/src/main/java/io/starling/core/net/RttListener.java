package io.starling.core.net;

/** Gets one round-trip sample per answered request (Vivaldi feeds on these; no extra probes). */
@FunctionalInterface
public interface RttListener {
    void onRtt(NodeId peer, PeerAddress address, double rttMillis);
}
