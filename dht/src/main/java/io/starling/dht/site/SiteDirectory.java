package io.starling.dht.site;

import io.starling.core.net.Contact;
import io.starling.core.net.NodeId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The super-peers this peer knows, by site. Pure state: the caller feeds it contacts it heard from
 * (every routing-table observation carries the contact's site), members named by the directory
 * records in the DHT, and failures.
 *
 * <p>A member of our own site that failed a request is marked down and leaves the replica-set
 * computation until it is heard from again or named by a directory record published after the
 * failure. Members of other sites stay
 * known when they fail (a partition makes a whole site fail at once, and cross-site replication
 * must keep retrying it); they only sort behind the members not marked down. Members are sorted by
 * id, so every decision is independent of insertion order.
 */
public final class SiteDirectory {
    private final Contact self;
    private final Map<String, TreeMap<NodeId, Contact>> bySite = new TreeMap<>();
    private final Map<NodeId, Long> downAtMillis = new TreeMap<>();
    /** Site of every known member (the index that keeps each id in one site). */
    private final Map<NodeId, String> siteOf = new java.util.HashMap<>();
    private long ownSiteVersion;

    public SiteDirectory(Contact self) {
        this.self = self;
        bySite.computeIfAbsent(self.site(), s -> new TreeMap<>()).put(self.id(), self);
    }

    public Contact self() {
        return self;
    }

    /** A super-peer was heard from directly. True when the member set of our own site changed. */
    public boolean observe(Contact c) {
        if (!c.superPeer() || c.id().equals(self.id())) {
            return false;
        }
        if (!downAtMillis.isEmpty()) {
            downAtMillis.remove(c.id());
        }
        String known = siteOf.get(c.id());
        if (known != null && known.equals(c.site()) && c.equals(bySite.get(known).get(c.id()))) {
            return false; // the common case: heard again from a known member
        }
        return put(c);
    }

    /**
     * A super-peer named by a directory record published at {@code publishedAtMillis}; ignored when
     * it failed after that (the record outlives a dead peer by up to its TTL). True when the member
     * set of our own site changed.
     */
    public boolean observeRecord(Contact c, long publishedAtMillis) {
        if (!c.superPeer() || c.id().equals(self.id())) {
            return false;
        }
        Long down = downAtMillis.get(c.id());
        if (down != null && down >= publishedAtMillis) {
            return false;
        }
        if (siteOf.containsKey(c.id())) {
            return false; // heard from directly: that contact is at least as fresh
        }
        downAtMillis.remove(c.id());
        return put(c);
    }

    /** True when {@code id} is a known member of some site (not marked down in our own site). */
    public boolean knows(NodeId id) {
        return siteOf.containsKey(id);
    }

    private boolean put(Contact c) {
        // a peer that moved sites (restart with another config) is only in its newest site
        boolean changed = false;
        String old = siteOf.put(c.id(), c.site());
        if (old != null && !old.equals(c.site())) {
            bySite.get(old).remove(c.id());
            changed = old.equals(self.site());
        }
        Contact before = bySite.computeIfAbsent(c.site(), s -> new TreeMap<>()).put(c.id(), c);
        changed |= before == null && c.site().equals(self.site());
        if (changed) {
            ownSiteVersion++;
        }
        return changed;
    }

    /** A member did not answer. True when the member set of our own site changed. */
    public boolean markDown(NodeId id, long nowMillis) {
        if (id.equals(self.id())) {
            return false;
        }
        String site = siteOf.get(id);
        if (site != null) {
            downAtMillis.put(id, nowMillis);
        }
        boolean changed = bySite.get(self.site()).remove(id) != null;
        if (changed) {
            siteOf.remove(id);
        }
        if (changed) {
            ownSiteVersion++;
        }
        return changed;
    }

    /** Increases whenever the member set of our own site changes (for callers caching replica sets). */
    public long ownSiteVersion() {
        return ownSiteVersion;
    }

    /** The {@code r} members of our own site (self included) closest to {@code key}, nearest first. */
    public List<Contact> siteReplicaSet(NodeId key, int r) {
        return closest(self.site(), key, r);
    }

    /** The {@code n} known members of {@code site} closest to {@code key}, nearest first. */
    public List<Contact> closest(String site, NodeId key, int n) {
        TreeMap<NodeId, Contact> m = bySite.get(site);
        if (m == null || m.isEmpty()) {
            return List.of();
        }
        List<Contact> all = new ArrayList<>(m.values());
        all.sort((a, b) -> {
            int c = Boolean.compare(downAtMillis.containsKey(a.id()), downAtMillis.containsKey(b.id()));
            return c != 0 ? c : key.compareDistance(a.id(), b.id());
        });
        return List.copyOf(all.subList(0, Math.min(n, all.size())));
    }

    /** Every site with at least one known member, ours excluded, sorted. */
    public List<String> otherSites() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, TreeMap<NodeId, Contact>> e : bySite.entrySet()) {
            if (!e.getKey().equals(self.site()) && !e.getValue().isEmpty()) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /** Known live members of {@code site}, by id. */
    public List<Contact> members(String site) {
        TreeMap<NodeId, Contact> m = bySite.get(site);
        return m == null ? List.of() : List.copyOf(m.values());
    }

    public int size() {
        int n = 0;
        for (TreeMap<NodeId, Contact> m : bySite.values()) {
            n += m.size();
        }
        return n;
    }

    /** Each id in one site only, under its own site; self present. */
    public void checkInvariants() {
        TreeSet<NodeId> seen = new TreeSet<>();
        for (Map.Entry<String, TreeMap<NodeId, Contact>> e : bySite.entrySet()) {
            for (Contact c : e.getValue().values()) {
                if (!c.site().equals(e.getKey()) || !seen.add(c.id())) {
                    throw new IllegalStateException("site directory: " + c + " misfiled or duplicated");
                }
            }
        }
        if (seen.size() != siteOf.size() + 1) {
            throw new IllegalStateException("site directory index out of step");
        }
        if (!bySite.get(self.site()).containsKey(self.id())) {
            throw new IllegalStateException("site directory lost self");
        }
    }
}
