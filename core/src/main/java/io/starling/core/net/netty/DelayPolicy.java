package io.starling.core.net.netty;

import io.starling.core.net.PeerAddress;

/**
 * Test-only WAN emulation: how long to hold back each outbound frame to {@code remote} (requests,
 * one-way messages and replies alike). The kernel here lacks tc netem, so multi-site tests inject
 * 50-400 ms between sites with this instead. Production uses {@link #NONE}.
 */
@FunctionalInterface
public interface DelayPolicy {
    DelayPolicy NONE = remote -> 0;

    long artificialDelayMillis(PeerAddress remote);
}
