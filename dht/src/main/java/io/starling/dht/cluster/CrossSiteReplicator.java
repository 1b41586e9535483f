package io.starling.dht.cluster;

import io.starling.core.exec.Cancellable;
import io.starling.core.net.Contact;
import io.starling.core.net.NodeId;
import io.starling.dht.cluster.ClusterMessages.MergeAck;
import io.starling.dht.cluster.ClusterMessages.PrimaryMerge;
import io.starling.dht.node.DhtNode;
import io.starling.dht.record.DhtRecord;
import io.starling.dht.site.SiteDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

/**
 * Asynchronous cross-site replication on one super-peer. For every site-replicated collection this
 * node is the site primary of, it sends the records changed since what each other site
 * acknowledged (by local revision) to a super-peer of that site, which merges them at its own site
 * primary ({@link PrimaryService#merge}). Sends happen shortly after a local change and every
 * {@code crossSiteIntervalMillis} while something is unacknowledged; a failed send (a partition)
 * is retried at that pace, rotating over the closest known members of the target site. An idle
 * node only wakes on routing changes and on a slow timer (a quarter of the directory refresh) that
 * notices new sites and fail-overs, so thousands of idle simulated peers cost little. Watermarks are per node: a replica that
 * becomes primary starts from zero and resends everything once, which merging makes harmless
 * (merge is idempotent). Site-local collections ({@link DhtNode#siteLocal}, node heartbeats) are
 * never sent.
 *
 * <p>Never on the write path: a local write is acknowledged by the site replica set alone.
 */
final class CrossSiteReplicator {
    /** Debounce between a local change and the send it triggers. */
    static final long SOON_MILLIS = 10;
    /** Bound of concurrent cross-site sends of this node. */
    static final int MAX_IN_FLIGHT = 32;
    private static final int TARGETS_PER_SITE = 3;

    private final DhtNode node;
    private final SiteDirectory directory;
    /** Newest local revision stored per site-replicated collection. */
    private final Map<String, Long> newest = new TreeMap<>();
    /** collection -> site -> newest local revision that site acknowledged. */
    private final Map<String, Map<String, Long>> acked = new TreeMap<>();
    /** Collections with a change some site has not acknowledged (or we never sent). */
    private final Set<String> dirty = new TreeSet<>();
    /**
     * (collection, site) -> when its send left and which attempt it is. A send unanswered for
     * {@link #hedgeAfterMillis} is repeated (merging makes duplicates harmless): a merge sent into
     * a cut would otherwise hold its key until its long timeout, delaying convergence after a heal.
     */
    private final Map<String, long[]> inFlight = new TreeMap<>();
    private long attempts;
    /** Where the next tick starts among the (collection, site) pairs that are behind. */
    private int sendCursor;
    private final Map<String, Integer> failures = new TreeMap<>();
    private final Map<String, Boolean> primaryOf = new TreeMap<>();
    /**
     * collection -> local revisions that only relay other sites' versions: results of a merge over
     * nothing of ours that some site still lacks. Every site sends its own changes to every other
     * site, so relaying these again would only make each change cost sites x sites merges; they are
     * sent to a site that has acknowledged nothing yet (a new site, or after a fail-over).
     */
    private final Map<String, Set<Long>> relayOnly = new TreeMap<>();
    private final BooleanSupplier mergeWriting;
    /**
     * collection -> local revision -> name of every change not yet acknowledged by all other sites,
     * so a send reads what changed instead of scanning the collection (10,000 Nodes per tick).
     */
    private final Map<String, TreeMap<Long, String>> changes = new TreeMap<>();
    /** collection -> newest revision stored without an index entry: sends after it may use the index. */
    private final Map<String, Long> unindexed = new TreeMap<>();
    /** collection -> cached {@link #acknowledgedEverywhere}; dropped whenever a watermark moves. */
    private final Map<String, Long> everywhereCache = new TreeMap<>();
    private long primaryOfVersion = -1;
    private List<String> knownSites = List.of();
    private final Cancellable timer;
    private Cancellable next = Cancellable.NONE;
    private long nextAtMillis = Long.MAX_VALUE;
    private long seenDirectoryVersion = -1;
    private boolean closed;
    long recordsSent;
    long sendFailures;

    CrossSiteReplicator(DhtNode node, BooleanSupplier mergeWriting) {
        this.node = node;
        this.mergeWriting = mergeWriting;
        this.directory = node.siteDirectoryUnsafe();
        node.addRecordListener((previous, current) -> {
            noteRelay(previous, current);
            onChanged(current);
        });
        long slow = Math.max(node.config().crossSiteIntervalMillis(), node.config().directoryRefreshMillis() / 4);
        this.timer = node.loop().scheduleAtFixedRate(slow, slow, this::tick);
        node.addRoutingListener(() -> scheduleTick(SOON_MILLIS));
        node.loop().execute(this::loadStored);
    }

    private void loadStored() {
        for (String c : node.localCollections()) {
            if (DhtNode.siteReplicated(c) && !DhtNode.siteLocal(c)) {
                for (DhtRecord r : node.localList(c)) {
                    onChanged(r);
                }
            }
        }
    }

    private void noteRelay(DhtRecord previous, DhtRecord current) {
        if (closed || !mergeWriting.getAsBoolean() || !DhtNode.siteReplicated(current.collection())) {
            return;
        }
        String c = current.collection();
        Set<Long> relays = relayOnly.get(c);
        if (previous == null || (relays != null && relays.contains(previous.revision()))
                || previous.revision() <= acknowledgedEverywhere(c)) {
            relayOnly.computeIfAbsent(c, k -> new TreeSet<>()).add(current.revision());
        }
    }

    private void ack(String collection, String site, long upTo) {
        acked.computeIfAbsent(collection, c -> new TreeMap<>()).merge(site, upTo, Math::max);
        everywhereCache.remove(collection);
    }

    /** The newest local revision of {@code collection} every known other site acknowledged (0 if none). */
    private long acknowledgedEverywhere(String collection) {
        if (knownSites.isEmpty()) {
            return 0;
        }
        Long cached = everywhereCache.get(collection);
        if (cached != null) {
            return cached;
        }
        Map<String, Long> bySite = acked.getOrDefault(collection, Map.of());
        long min = Long.MAX_VALUE;
        for (String site : knownSites) {
            min = Math.min(min, bySite.getOrDefault(site, 0L));
        }
        everywhereCache.put(collection, min);
        return min;
    }

    private void onChanged(DhtRecord r) {
        if (closed || !DhtNode.siteReplicated(r.collection()) || DhtNode.siteLocal(r.collection())) {
            return;
        }
        newest.merge(r.collection(), r.revision(), Math::max);
        if (!knownSites.isEmpty() && isPrimary(r.collection())) {
            changes.computeIfAbsent(r.collection(), k -> new TreeMap<>()).put(r.revision(), r.name());
        } else {
            unindexed.merge(r.collection(), r.revision(), Math::max); // nobody to send to now, or not ours to send
        }
        dirty.add(r.collection());
        scheduleTick(SOON_MILLIS);
    }

    /** Runs a tick within {@code delayMillis} (keeps an earlier one already scheduled). */
    private void scheduleTick(long delayMillis) {
        if (closed) {
            return;
        }
        long at = node.loop().clock().monoMillis() + delayMillis;
        if (nextAtMillis <= at) {
            return;
        }
        next.cancel();
        nextAtMillis = at;
        next = node.loop().schedule(delayMillis, () -> {
            nextAtMillis = Long.MAX_VALUE;
            tick();
        });
    }

    private boolean isPrimary(String collection) {
        if (primaryOfVersion != directory.ownSiteVersion()) {
            primaryOf.clear();
            primaryOfVersion = directory.ownSiteVersion();
        }
        return primaryOf.computeIfAbsent(collection, c -> {
            List<Contact> set = node.siteReplicaSet(DhtRecord.locationKeyOf(c));
            return !set.isEmpty() && set.get(0).id().equals(node.self().id());
        });
    }

    void tick() {
        if (closed || node.isClosed()) {
            if (node.isClosed()) {
                close(); // the node crashed or stopped without closing the store
            }
            return;
        }
        List<String> sites = directory.otherSites();
        if (!sites.equals(knownSites)) {
            knownSites = sites; // a site appeared: everything must reach it
            everywhereCache.clear();
            dirty.addAll(newest.keySet());
        }
        if (seenDirectoryVersion != directory.ownSiteVersion()) {
            // our site's membership changed: we may have become primary of collections (fail-over)
            seenDirectoryVersion = directory.ownSiteVersion();
            dirty.addAll(newest.keySet());
        }
        if (sites.isEmpty()) {
            return;
        }
        boolean pending = false;
        List<String[]> wanted = new ArrayList<>(); // (collection, site) pairs behind, in sorted order
        for (String c : List.copyOf(dirty)) {
            if (!isPrimary(c)) {
                continue;
            }
            long rev = newest.getOrDefault(c, 0L);
            boolean done = true;
            for (String site : sites) {
                if (acked.getOrDefault(c, Map.of()).getOrDefault(site, 0L) < rev) {
                    done = false;
                    wanted.add(new String[] {c, site});
                }
            }
            long everywhere = acknowledgedEverywhere(c);
            Set<Long> relays = relayOnly.get(c);
            if (relays != null) {
                relays.removeIf(r -> r <= everywhere);
                if (relays.isEmpty()) {
                    relayOnly.remove(c);
                }
            }
            TreeMap<Long, String> log = changes.get(c);
            if (log != null) {
                log.headMap(everywhere, true).clear();
                if (log.isEmpty()) {
                    changes.remove(c);
                }
            }
            if (done) {
                dirty.remove(c);
            } else {
                pending = true;
            }
        }
        // round-robin from where the last tick stopped: with more pairs behind than MAX_IN_FLIGHT,
        // busy collections early in the order must not starve later sites (nothing relays for us)
        Map<String, List<DhtRecord>> byRevision = new TreeMap<>(); // read once per tick, not once per site
        int n = wanted.size();
        int start = n == 0 ? 0 : sendCursor % n;
        int visited = 0;
        while (visited < n && inFlight.size() < MAX_IN_FLIGHT) {
            String[] pair = wanted.get((start + visited) % n);
            visited++;
            String c = pair[0];
            String site = pair[1];
            if (!hedging(c, site)) {
                List<DhtRecord> records = byRevision.computeIfAbsent(c, k -> changedSince(k, acknowledgedEverywhere(k)));
                send(c, site, acked.getOrDefault(c, Map.of()).getOrDefault(site, 0L), records);
            }
        }
        sendCursor = start + visited;
        if (pending) {
            scheduleTick(node.config().crossSiteIntervalMillis());
        }
    }

    /** True while a send of (collection, site) is in flight and not yet due for a hedge. */
    private boolean hedging(String collection, String site) {
        long[] previous = inFlight.get(collection + "\n" + site);
        return previous != null && node.loop().clock().monoMillis() - previous[0] < hedgeAfterMillis();
    }

    /**
     * The collection's current records with a local revision above {@code after}, by revision: from
     * the change index (no scan of the collection) unless some site needs everything.
     */
    private List<DhtRecord> changedSince(String collection, long after) {
        TreeMap<Long, String> log = changes.get(collection);
        Long gap = unindexed.get(collection);
        if (gap != null && gap <= after) {
            unindexed.remove(collection);
            gap = null;
        }
        if (after == 0 || gap != null) {
            List<DhtRecord> all = node.localList(collection);
            all.sort((x, y) -> Long.compare(x.revision(), y.revision()));
            return all;
        }
        List<DhtRecord> out = new ArrayList<>();
        if (log == null) {
            return out;
        }
        for (Map.Entry<Long, String> e : log.tailMap(after, false).entrySet()) {
            DhtRecord r = node.readVerified(collection, e.getValue());
            if (r != null && r.revision() == e.getKey()) {
                out.add(r); // an older revision of a name is superseded by a later entry
            }
        }
        return out;
    }

    /** Sends the records of {@code byRevision} (the collection sorted by revision) newer than {@code after}. */
    private void send(String collection, String site, long after, List<DhtRecord> byRevision) {
        String key = collection + "\n" + site;
        long now = node.loop().clock().monoMillis();
        int lo = 0;
        int hi = byRevision.size();
        while (lo < hi) { // first record with revision > after
            int mid = (lo + hi) >>> 1;
            if (byRevision.get(mid).revision() > after) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        Set<Long> relays = after > 0 ? relayOnly.getOrDefault(collection, Set.of()) : Set.of();
        List<DhtRecord> changed = new ArrayList<>();
        for (DhtRecord r : byRevision.subList(lo, byRevision.size())) {
            if (!relays.contains(r.revision())) {
                changed.add(r);
            }
        }
        long upTo = newest.getOrDefault(collection, 0L);
        if (changed.isEmpty()) {
            ack(collection, site, upTo);
            return;
        }
        int max = node.config().maxRecordsPerMessage();
        if (changed.size() > max) {
            changed = new ArrayList<>(changed.subList(0, max));
            upTo = changed.get(max - 1).revision();
        }
        NodeId locationKey = DhtRecord.locationKeyOf(collection);
        List<Contact> targets = directory.closest(site, locationKey, TARGETS_PER_SITE);
        if (targets.isEmpty()) {
            return;
        }
        Contact to = targets.get(failures.getOrDefault(key, 0) % targets.size());
        long attempt = ++attempts;
        inFlight.put(key, new long[] {now, attempt});
        long ackUpTo = upTo;
        int count = changed.size();
        node.request(to, new PrimaryMerge(node.self(), collection, changed, false), 2 * node.primaryTimeoutMillis())
                .whenComplete((m, e) -> {
                    long[] current = inFlight.get(key);
                    boolean latest = current != null && current[1] == attempt;
                    if (latest) {
                        inFlight.remove(key);
                    }
                    if (closed) {
                        return;
                    }
                    if (e == null && m instanceof MergeAck) {
                        failures.remove(key);
                        recordsSent += count;
                        ack(collection, site, ackUpTo);
                        if (ackUpTo < newest.getOrDefault(collection, 0L)) {
                            scheduleTick(SOON_MILLIS);
                        }
                    } else if (latest) {
                        sendFailures++;
                        failures.merge(key, 1, Integer::sum);
                        scheduleTick(node.config().crossSiteIntervalMillis());
                    }
                });
    }

    /** A WAN round trip plus a batch merge fit well within a request timeout. */
    private long hedgeAfterMillis() {
        return node.config().requestTimeoutMillis();
    }

    /** (collection, site) pairs with changes not yet acknowledged by that site, as seen by this node. */
    int pending() {
        int n = 0;
        for (String c : dirty) {
            if (!isPrimary(c)) {
                continue;
            }
            long rev = newest.getOrDefault(c, 0L);
            for (String site : knownSites) {
                if (acked.getOrDefault(c, Map.of()).getOrDefault(site, 0L) < rev) {
                    n++;
                }
            }
        }
        return n;
    }

    void close() {
        closed = true;
        timer.cancel();
        next.cancel();
    }
}
