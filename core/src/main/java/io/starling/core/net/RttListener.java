package io.starling.core.net;

/**
 * Gets one round-trip sample per answered request (Vivaldi feeds on these; no extra probes). The
 * sample is the network's share of the round trip: the time the responder held the request before
 * replying is subtracted (see {@link RttSample}), and a request without a plausible hold time
 * yields no sample.
 */
@FunctionalInterface
public interface RttListener {
    void onRtt(NodeId peer, PeerAddress address, double rttMillis);
}
