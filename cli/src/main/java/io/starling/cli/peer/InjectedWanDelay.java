package io.starling.cli.peer;

import io.starling.core.net.Contact;
import io.starling.core.net.PeerAddress;
import io.starling.core.net.netty.DelayPolicy;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TEST-ONLY WAN emulation for benchmarks ({@code --inject-wan-delay-ms N}): every frame this peer
 * sends to a peer of ANOTHER site is held back N/2 ms, so with both ends doing it a request/reply
 * crosses sites in N ms more. Rule: an address is delayed iff some contact placed it in another
 * site and none placed it in ours. Contacts come from the join reply and (super-peers) the DHT
 * routing table, refreshed by the caller; addresses never seen in a contact (edge peers talking to
 * their own super-peers: edges are not in routing tables) are not delayed, which is right for
 * `starling up`, where edges only ever talk to super-peers of their own site.
 */
public final class InjectedWanDelay implements DelayPolicy {
    private final String site;
    private final long oneWayMillis;
    private final Set<PeerAddress> otherSite = ConcurrentHashMap.newKeySet();
    private final Set<PeerAddress> sameSite = ConcurrentHashMap.newKeySet();

    public InjectedWanDelay(String site, long rttMillis) {
        if (rttMillis < 0 || rttMillis > 60_000) {
            throw new IllegalArgumentException("--inject-wan-delay-ms must be 0..60000, got " + rttMillis);
        }
        this.site = site;
        this.oneWayMillis = rttMillis / 2;
    }

    /** Records which site each contact's address belongs to (safe from any thread). */
    public void learn(Collection<Contact> contacts) {
        for (Contact c : contacts) {
            (site.equals(c.site()) ? sameSite : otherSite).add(c.address());
        }
    }

    @Override
    public long artificialDelayMillis(PeerAddress remote) {
        return otherSite.contains(remote) && !sameSite.contains(remote) ? oneWayMillis : 0;
    }
}
