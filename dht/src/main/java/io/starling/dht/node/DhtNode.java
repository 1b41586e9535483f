package io.starling.dht.node;

import io.starling.core.exec.Cancellable;
import io.starling.core.exec.EventLoop;
import io.starling.core.hlc.HybridClock;
import io.starling.core.identity.PeerIdentity;
import io.starling.core.net.Contact;
import io.starling.core.net.InboundHandler;
import io.starling.core.net.Message;
import io.starling.core.net.NodeId;
import io.starling.core.net.PeerAddress;
import io.starling.core.net.Transport;
import io.starling.core.random.RandomSource;
import io.starling.dht.kademlia.NodeLookup;
import io.starling.dht.kademlia.RoutingTable;
import io.starling.dht.node.DhtMessages.CollectionRecords;
import io.starling.dht.node.DhtMessages.FindCollection;
import io.starling.dht.node.DhtMessages.FindNode;
import io.starling.dht.node.DhtMessages.FindValue;
import io.starling.dht.node.DhtMessages.Nodes;
import io.starling.dht.node.DhtMessages.Ping;
import io.starling.dht.node.DhtMessages.Pong;
import io.starling.dht.node.DhtMessages.Store;
import io.starling.dht.node.DhtMessages.StoreAck;
import io.starling.dht.node.DhtMessages.Value;
import io.starling.dht.record.DhtRecord;
import io.starling.dht.record.RecordSignatures;
import io.starling.dht.record.RecordMerge;
import io.starling.dht.site.SiteDirectory;
import io.starling.dht.storage.RecordStorage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A Kademlia member (a super-peer). It owns the routing table, drives lookups of the pure
 * {@link NodeLookup} over the {@link Transport}, serves PING / FIND_NODE / FIND_VALUE / STORE,
 * and keeps the signed records it holds in {@link RecordStorage}: every record that arrives is
 * verified (forged ones are rejected and counted), merged with the local version
 * ({@link RecordMerge}) and persisted.
 *
 * <p>Two kinds of collections. <b>Site-replicated</b> ones (cluster-store collections, paths of four
 * segments {@code scope/group/resource/namespace}) live on the r super-peers of each site closest
 * to their location key, computed from the {@link SiteDirectory} (no lookup); sites exchange them
 * through the cluster store's cross-site replication. <b>Global</b> ones (raw operator records, the
 * site directory itself) live on the r closest super-peers of the whole overlay (Kademlia).
 *
 * <p>Site directory: every super-peer learns the super-peers it hears from (contacts carry their
 * site) and publishes a soft-state record {@code _dir/members/<site>} (name = its id, value = its
 * address) plus a mark in {@code _dir/sites} in the global DHT every
 * {@code directoryRefreshMillis}, and reads back its own site's members and those of sites it knows
 * no live member of. A member that fails a request leaves the directory until heard from again.
 *
 * <p>Replication: a collection lives on the r closest super-peers (of the site, or global). Every
 * holder re-sends what it holds to the current replica set every republish interval (looked up
 * iteratively), and, debounced after every routing-table change, to the members of the replica set
 * computed from its own table that were not in it before (so a holder that dies or a closer node
 * that joins is repaired without waiting for the republish).
 *
 * <p>Threading: everything runs on the given event loop; public methods may be called from any
 * thread and hop onto it.
 */
public final class DhtNode implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DhtNode.class.getName());

    /** Notified on the event loop when a stored record changed (prev may be null). */
    public interface RecordListener {
        void onRecordChanged(DhtRecord previous, DhtRecord current);
    }

    /** Outcome of applying an incoming record locally. */
    public enum ApplyOutcome { STORED, STALE, REJECTED, EXPIRED }

    private final DhtConfig cfg;
    private final PeerIdentity identity;
    private final Contact self;
    private final Transport transport;
    private final EventLoop loop;
    private final RandomSource random;
    private final RecordStorage storage;
    private final RoutingTable table;
    private final HybridClock hlc;
    private final SiteDirectory directory;
    /** Our directory records, re-signed only when half their lifetime is gone (readers skip unchanged ones). */
    private final Map<String, DhtRecord> ownDirectoryRecords = new TreeMap<>();
    private final DhtMetrics metrics = new DhtMetrics();
    private final Map<Class<?>, InboundHandler> extraHandlers = new LinkedHashMap<>();
    private final List<RecordListener> recordListeners = new ArrayList<>();
    private final List<Runnable> routingListeners = new ArrayList<>();
    private final Set<NodeId> pinging = new HashSet<>();
    /** Replica set per collection as last computed from the local table (for repair). */
    private final Map<String, List<NodeId>> knownReplicaSets = new TreeMap<>();
    private final List<Cancellable> timers = new ArrayList<>();
    private RecordSignatures signatures = RecordSignatures.ED25519;
    /** Which authenticated senders may act as DHT members (peers: certificate role super). */
    private volatile Predicate<NodeId> members = id -> true;
    private Cancellable pendingRepair = Cancellable.NONE;
    private boolean repairScheduled;
    private boolean closed;

    public DhtNode(DhtConfig cfg, PeerIdentity identity, Contact self, Transport transport, EventLoop loop,
                   RandomSource random, RecordStorage storage) {
        if (!self.id().equals(identity.nodeId()) || !transport.localId().equals(identity.nodeId())) {
            throw new IllegalArgumentException("contact, identity and transport must share one node id");
        }
        if (!self.superPeer()) {
            throw new IllegalArgumentException("only super-peers are DHT members");
        }
        this.cfg = cfg;
        this.identity = identity;
        this.self = self;
        this.transport = transport;
        this.loop = loop;
        this.random = random;
        this.storage = storage;
        this.table = new RoutingTable(self.id(), cfg.k(), cfg.replacementCacheSize());
        this.hlc = new HybridClock(loop.clock());
        this.directory = new SiteDirectory(self);
        for (String c : storage.collections()) {
            for (DhtRecord r : storage.list(c)) {
                hlc.observe(r.revision());
            }
        }
        transport.setHandler(this::onMessage);
        loop.execute(this::startTimers);
    }

    private void startTimers() {
        long refreshCheck = Math.max(1_000, cfg.refreshIntervalMillis() / 4);
        timers.add(loop.scheduleAtFixedRate(refreshCheck + random.nextInt((int) Math.min(refreshCheck, 60_000)),
                refreshCheck, this::refreshStaleBuckets));
        timers.add(loop.scheduleAtFixedRate(cfg.republishIntervalMillis() / 2 + random.nextInt(
                (int) Math.max(1, Math.min(cfg.republishIntervalMillis() / 2, Integer.MAX_VALUE))),
                cfg.republishIntervalMillis(), this::republishAll));
        timers.add(loop.scheduleAtFixedRate(cfg.sweepIntervalMillis(), cfg.sweepIntervalMillis(), this::sweep));
        long dir = cfg.directoryRefreshMillis();
        timers.add(loop.scheduleAtFixedRate(dir / 2 + random.nextInt((int) Math.max(1, Math.min(dir / 2, Integer.MAX_VALUE))),
                dir, () -> {
                    if (!closed && table.size() > 0) {
                        refreshDirectory();
                    }
                }));
    }

    // ---------------------------------------------------------------- accessors

    public DhtConfig config() {
        return cfg;
    }

    public Contact self() {
        return self;
    }

    public PeerIdentity identity() {
        return identity;
    }

    public EventLoop loop() {
        return loop;
    }

    public Transport transport() {
        return transport;
    }

    public HybridClock hlc() {
        return hlc;
    }

    public DhtMetrics metrics() {
        return metrics;
    }

    /** The live routing table (event-loop use only: tests and invariant checks). */
    public RoutingTable routingTableUnsafe() {
        return table;
    }

    /**
     * Replaces the record signature scheme (Ed25519 by default). Only simulations call this, before
     * the node stores or signs anything: every super-peer of one cluster must use the same scheme.
     */
    public DhtNode signatures(RecordSignatures scheme) {
        this.signatures = Objects.requireNonNull(scheme);
        return this;
    }

    /**
     * Serves DHT requests (and accepts contacts claiming to be super-peers) only from senders that
     * {@code isSuperPeer} accepts: a peer of the cluster with another role (an edge device) holds a
     * certificate of the same CA, and without this could store records or enter routing tables.
     * Default: every authenticated sender (simulations, where nobody lies about its role).
     */
    public DhtNode restrictMembersTo(Predicate<NodeId> isSuperPeer) {
        this.members = Objects.requireNonNull(isSuperPeer);
        return this;
    }

    /** Whether {@code sender} may act as a DHT member here. */
    public boolean isMember(NodeId sender) {
        return members.test(sender);
    }

    /** Whether {@code r} is validly signed by its writer under this node's signature scheme. */
    public boolean verify(DhtRecord r) {
        return signatures.verify(r);
    }

    /** The live site directory (event-loop use only). */
    public SiteDirectory siteDirectoryUnsafe() {
        return directory;
    }

    /**
     * True for collections replicated per site (cluster-store collection paths:
     * {@code scope/group/resource/namespace}); false for global ones (raw records, the directory).
     */
    public static boolean siteReplicated(String collection) {
        int slashes = 0;
        for (int i = 0; i < collection.length(); i++) {
            if (collection.charAt(i) == '/') {
                slashes++;
            }
        }
        return slashes == 3;
    }

    /**
     * True for site-replicated collections that stay inside their site: node heartbeats (the Leases
     * of kube-node-lease, any scope). Only the home site's node-lifecycle controller reads them, and
     * sending every renewal of every node to every other site costs O(nodes x sites) merges (10,000
     * nodes renewing every 2 s across 490 sites: 2.4 million merges per second, cluster-wide).
     * Another site therefore lists only its own nodes' Leases there.
     */
    public static boolean siteLocal(String collection) {
        return collection.endsWith(NODE_LEASES_SUFFIX) && siteReplicated(collection);
    }

    private static final String NODE_LEASES_SUFFIX = "/coordination.k8s.io/leases/kube-node-lease";

    /**
     * The min(r, n) super-peers of this node's site (self included) closest to {@code key}, nearest
     * first, from the site directory (no messages). Event-loop use.
     */
    public List<Contact> siteReplicaSet(NodeId key) {
        return directory.siteReplicaSet(key, cfg.replicationFactor());
    }

    /** The replica set a holder of {@code collection} maintains from local knowledge (site or table). */
    private List<Contact> holdersFromLocalView(String collection) {
        NodeId key = DhtRecord.locationKeyOf(collection);
        return siteReplicated(collection) ? siteReplicaSet(key) : localReplicaSet(key);
    }

    /** A snapshot of the routing table's contacts. */
    public CompletableFuture<List<Contact>> routingTable() {
        return onLoop(() -> CompletableFuture.completedFuture(table.all()));
    }

    /** Installs a handler for another protocol's message type sharing this transport. */
    public void registerHandler(Class<? extends Message> type, InboundHandler handler) {
        extraHandlers.put(type, handler);
    }

    public void addRecordListener(RecordListener l) {
        recordListeners.add(l);
    }

    /** Runs after contacts were added to or removed from the routing table. */
    public void addRoutingListener(Runnable l) {
        routingListeners.add(l);
    }

    private <T> CompletableFuture<T> onLoop(java.util.function.Supplier<CompletableFuture<T>> work) {
        if (loop.inEventLoop()) {
            return work.get();
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> work.get().whenComplete((v, e) -> {
            if (e != null) {
                f.completeExceptionally(e);
            } else {
                f.complete(v);
            }
        }));
        return f;
    }

    // ---------------------------------------------------------------- bootstrap and lookups

    /** Pings the seeds, looks up our own id, then refreshes every bucket farther than our neighbours. */
    public CompletableFuture<Void> bootstrap(List<PeerAddress> seeds) {
        return onLoop(() -> {
            List<CompletableFuture<Boolean>> pings = new ArrayList<>();
            for (PeerAddress seed : seeds) {
                if (seed.equals(self.address())) {
                    continue;
                }
                pings.add(requestAt(seed, null, new Ping(self)).handle((m, e) -> e == null && m instanceof Pong));
            }
            return CompletableFuture.allOf(pings.toArray(CompletableFuture[]::new))
                    .thenCompose(v -> {
                        boolean any = pings.isEmpty() || pings.stream().anyMatch(CompletableFuture::join);
                        if (!any) {
                            return CompletableFuture.failedFuture(new IllegalStateException(
                                    "no bootstrap peer answered: " + seeds));
                        }
                        return lookup(self.id());
                    })
                    .thenCompose(r -> refreshBuckets(true))
                    .thenCompose(r -> refreshDirectory());
        });
    }

    private CompletableFuture<Void> refreshBuckets(boolean all) {
        long now = loop.clock().monoMillis();
        List<Integer> stale = table.staleBuckets(now, all ? 0 : cfg.refreshIntervalMillis());
        List<CompletableFuture<LookupResult>> lookups = new ArrayList<>();
        for (int index : stale) {
            if (all && table.bucketSize(index) >= cfg.k()) {
                continue;
            }
            lookups.add(lookup(table.randomIdInBucket(index, random)));
        }
        return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new));
    }

    /**
     * Timeout for a request the primary must do work for (sync from other holders, then replicate):
     * longer than two internal request timeouts, so a slow-but-alive primary is not skipped.
     */
    public long primaryTimeoutMillis() {
        return 3 * cfg.requestTimeoutMillis() + 500;
    }

    private void refreshStaleBuckets() {
        if (!closed && table.size() > 0) {
            refreshBuckets(false);
        }
    }

    /** Iterative FIND_NODE: the k closest live super-peers to {@code target} (self excluded). */
    public CompletableFuture<LookupResult> lookup(NodeId target) {
        return onLoop(() -> {
            metrics.lookups++;
            table.touch(target, loop.clock().monoMillis());
            NodeLookup l = new NodeLookup(target, self.id(), cfg.k(), cfg.alpha(), table.closest(target, cfg.k()));
            CompletableFuture<LookupResult> done = new CompletableFuture<>();
            drive(l, done);
            return done;
        });
    }

    private void drive(NodeLookup l, CompletableFuture<LookupResult> done) {
        if (done.isDone()) {
            return;
        }
        if (l.done() || closed) {
            // replies still in flight are not needed: the k closest live nodes have answered
            metrics.lookupHopsTotal += l.hops();
            done.complete(new LookupResult(l.target(), l.result(), l.hops(), l.queried()));
            return;
        }
        for (Contact c : l.next()) {
            request(c, new FindNode(self, l.target())).whenComplete((reply, err) -> {
                if (err == null && reply instanceof Nodes n) {
                    l.onReply(c.id(), n.contacts());
                } else {
                    l.onFailure(c.id());
                }
                drive(l, done);
            });
        }
        if (l.inFlight() == 0 && !done.isDone()) {
            done.complete(new LookupResult(l.target(), l.result(), l.hops(), l.queried()));
        }
    }

    /**
     * The r super-peers (self included when it qualifies) closest to {@code key}, nearest first,
     * from a fresh iterative lookup.
     */
    public CompletableFuture<List<Contact>> replicaSet(NodeId key) {
        return lookup(key).thenApply(r -> withSelf(key, r.closest(), cfg.replicationFactor()));
    }

    /** The r closest from the local routing table only (no messages). */
    public List<Contact> localReplicaSet(NodeId key) {
        return withSelf(key, table.closest(key, cfg.replicationFactor()), cfg.replicationFactor());
    }

    private List<Contact> withSelf(NodeId key, List<Contact> others, int r) {
        List<Contact> all = new ArrayList<>(others);
        all.add(self);
        all.sort((a, b) -> key.compareDistance(a.id(), b.id()));
        return List.copyOf(all.subList(0, Math.min(r, all.size())));
    }

    // ---------------------------------------------------------------- requests

    /** Sends a request to a known contact, maintaining the routing table from the outcome. */
    public CompletableFuture<Message> request(Contact to, Message m) {
        return request(to, m, cfg.requestTimeoutMillis());
    }

    /** As {@link #request(Contact, Message)} with its own timeout (for requests that do work remotely). */
    public CompletableFuture<Message> request(Contact to, Message m, long timeoutMillis) {
        if (to.id().equals(self.id())) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("request to self"));
        }
        return requestAt(to.address(), to.id(), m, timeoutMillis);
    }

    private CompletableFuture<Message> requestAt(PeerAddress address, NodeId expected, Message m) {
        return requestAt(address, expected, m, cfg.requestTimeoutMillis());
    }

    private CompletableFuture<Message> requestAt(PeerAddress address, NodeId expected, Message m, long timeoutMillis) {
        metrics.requestsSent++;
        CompletableFuture<Message> f = new CompletableFuture<>();
        transport.request(address, m, timeoutMillis).whenComplete((reply, err) -> {
            if (err != null) {
                metrics.requestFailures++;
                if (expected != null && unreachable(err)) {
                    if (table.remove(expected)) {
                        metrics.contactsEvicted++;
                        routingChanged();
                    }
                    if (directory.markDown(expected, loop.clock().wallMillis())) {
                        scheduleRepair();
                    }
                }
                f.completeExceptionally(err);
                return;
            }
            Contact origin = originOf(reply);
            if (origin != null && (expected == null || origin.id().equals(expected)) && members.test(origin.id())) {
                observe(origin);
            }
            f.complete(reply);
        });
        return f;
    }

    /** Only silence evicts a contact; a remote error means the peer is alive. */
    private static boolean unreachable(Throwable err) {
        Throwable t = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
        return !(t instanceof io.starling.core.net.TransportException te)
                || te.kind() != io.starling.core.net.TransportException.Kind.REMOTE_ERROR;
    }

    private static Contact originOf(Message m) {
        if (m instanceof Pong p) {
            return p.origin();
        } else if (m instanceof Nodes n) {
            return n.origin();
        } else if (m instanceof Value v) {
            return v.origin();
        } else if (m instanceof StoreAck a) {
            return a.origin();
        } else if (m instanceof CollectionRecords c) {
            return c.origin();
        }
        return null;
    }

    private void observe(Contact c) {
        if (closed) {
            return;
        }
        if (directory.observe(c)) {
            scheduleRepair();
        }
        RoutingTable.Update u = table.observe(c, loop.clock().monoMillis());
        switch (u.kind()) {
            case ADDED -> routingChanged();
            case BUCKET_FULL -> pingOldest(u.toPing());
            default -> { }
        }
    }

    /** Kademlia's eviction rule: the oldest contact of a full bucket stays unless it fails a ping. */
    private void pingOldest(Contact oldest) {
        if (!pinging.add(oldest.id())) {
            return;
        }
        request(oldest, new Ping(self)).whenComplete((r, e) -> pinging.remove(oldest.id()));
    }

    private void routingChanged() {
        for (Runnable l : routingListeners) {
            l.run();
        }
        scheduleRepair();
    }

    private void scheduleRepair() {
        if (!repairScheduled && storage.size() > 0 && !closed) {
            repairScheduled = true;
            pendingRepair = loop.schedule(cfg.repairDelayMillis(), () -> {
                repairScheduled = false;
                repairFromTable();
            });
        }
    }

    // ---------------------------------------------------------------- inbound

    private CompletableFuture<Message> onMessage(NodeId sender, PeerAddress senderAddress, Message m) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("node closed"));
        }
        InboundHandler extra = extraHandlers.get(m.getClass());
        if (extra != null) {
            return extra.handle(sender, senderAddress, m);
        }
        Contact origin = requestOrigin(m);
        if (origin == null) {
            return null;
        }
        if (!origin.id().equals(sender)) {
            metrics.spoofedOrigins++;
            return CompletableFuture.failedFuture(new IllegalArgumentException("origin id does not match the authenticated sender"));
        }
        if (!members.test(sender)) {
            metrics.nonMemberRequests++;
            return CompletableFuture.failedFuture(new IllegalArgumentException("only super-peers are DHT members"));
        }
        metrics.requestsServed++;
        observe(origin);
        Message reply;
        if (m instanceof Ping) {
            reply = new Pong(self);
        } else if (m instanceof FindNode f) {
            reply = new Nodes(self, table.closest(f.target(), cfg.k()));
        } else if (m instanceof FindValue f) {
            DhtRecord r = readVerified(f.collection(), f.name());
            reply = new Value(self, r, r != null ? List.of()
                    : table.closest(DhtRecord.locationKeyOf(f.collection()), cfg.k()));
        } else if (m instanceof FindCollection f) {
            // verified when stored and by the reader: no second verification per read here
            List<DhtRecord> all = new ArrayList<>();
            long now = loop.clock().wallMillis();
            for (DhtRecord r : storage.list(f.collection())) {
                if (!r.expired(now)) {
                    all.add(r);
                }
            }
            reply = new CollectionRecords(self, all.size() <= cfg.maxRecordsPerMessage() ? all
                    : all.subList(0, cfg.maxRecordsPerMessage()));
        } else if (m instanceof Store s) {
            int stored = 0;
            int rejected = 0;
            for (DhtRecord r : s.records()) {
                ApplyOutcome o = applyLocal(r);
                if (o == ApplyOutcome.REJECTED) {
                    rejected++;
                } else {
                    stored++;
                }
            }
            reply = new StoreAck(self, stored, rejected);
        } else {
            return null;
        }
        return CompletableFuture.completedFuture(reply);
    }

    private static Contact requestOrigin(Message m) {
        if (m instanceof Ping p) {
            return p.origin();
        } else if (m instanceof FindNode f) {
            return f.origin();
        } else if (m instanceof FindValue f) {
            return f.origin();
        } else if (m instanceof Store s) {
            return s.origin();
        } else if (m instanceof FindCollection f) {
            return f.origin();
        }
        return null;
    }

    /** Treats another peer's claimed contact for a message it sent; false if forged (counted). */
    public boolean acceptOrigin(NodeId sender, Contact claimed) {
        if (claimed == null || !claimed.id().equals(sender)) {
            metrics.spoofedOrigins++;
            return false;
        }
        if (claimed.superPeer() && !members.test(sender)) {
            metrics.nonMemberRequests++;
            return false;
        }
        observe(claimed);
        return true;
    }

    // ---------------------------------------------------------------- local records

    /**
     * Verifies, merges and persists a record. Forged or unsigned records are rejected and counted;
     * expired soft state is ignored; older versions leave the stored one in place.
     */
    public ApplyOutcome applyLocal(DhtRecord r) {
        DhtRecord same = storage.get(r.collection(), r.name());
        if (same != null && same.equals(r)) {
            // a copy of what is stored (republish, repair): verified when it was stored
            metrics.recordsStale++;
            return ApplyOutcome.STALE;
        }
        if (siteReplicated(r.collection()) && !r.homeSite().equals(self.site())) {
            // a site's copy holds only versions its own primaries wrote (other sites' arrive merged)
            metrics.recordsRejected++;
            return ApplyOutcome.REJECTED;
        }
        if (!verify(r)) {
            metrics.recordsRejected++;
            return ApplyOutcome.REJECTED;
        }
        if (r.expired(loop.clock().wallMillis())) {
            return ApplyOutcome.EXPIRED;
        }
        hlc.observe(r.revision());
        DhtRecord cur = storage.get(r.collection(), r.name());
        if (!RecordMerge.supersedes(r, cur)) {
            metrics.recordsStale++;
            return ApplyOutcome.STALE;
        }
        storage.put(r);
        metrics.recordsStored++;
        for (RecordListener l : recordListeners) {
            l.onRecordChanged(cur, r);
        }
        return ApplyOutcome.STORED;
    }

    /** The local version if it verifies (a corrupted or forged stored record is dropped and counted). */
    public DhtRecord readVerified(String collection, String name) {
        DhtRecord r = storage.get(collection, name);
        if (r == null) {
            return null;
        }
        if (!verify(r)) {
            metrics.recordsRejected++;
            storage.remove(collection, name);
            return null;
        }
        return r.expired(loop.clock().wallMillis()) ? null : r;
    }

    /** Every verified, unexpired local record of a collection (tombstones included), by name. */
    public List<DhtRecord> localList(String collection) {
        List<DhtRecord> out = new ArrayList<>();
        long now = loop.clock().wallMillis();
        for (DhtRecord r : storage.list(collection)) {
            if (!verify(r)) {
                metrics.recordsRejected++;
                storage.remove(r.collection(), r.name());
            } else if (!r.expired(now)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Collections this node holds records of. */
    public List<String> localCollections() {
        return List.copyOf(storage.collections());
    }

    /** Counts a record that failed verification somewhere else in the node (e.g. in a reply). */
    public void countRejected() {
        metrics.recordsRejected++;
    }

    /** Signs a new version as this node (the accepting super-peer). */
    public DhtRecord sign(String collection, String name, byte[] value, long revision, long expiresAtMillis) {
        return signatures.sign(DhtRecord.unsigned(collection, name, value, revision, self.id(), self.site(),
                expiresAtMillis), identity);
    }

    /** Signs a new version carrying cross-site merge clocks. */
    public DhtRecord sign(String collection, String name, byte[] value, long revision, long expiresAtMillis,
                          io.starling.dht.record.FieldClocks clocks) {
        return signatures.sign(DhtRecord.unsigned(collection, name, value, revision, self.id(), self.site(),
                expiresAtMillis, clocks), identity);
    }

    /** Sends records to holders; completes with the number of holders that acknowledged. */
    public CompletableFuture<Integer> storeAt(List<Contact> holders, List<DhtRecord> records) {
        List<CompletableFuture<Boolean>> acks = new ArrayList<>();
        for (Contact h : holders) {
            if (h.id().equals(self.id())) {
                continue;
            }
            for (int from = 0; from < records.size(); from += cfg.maxRecordsPerMessage()) {
                List<DhtRecord> batch = records.subList(from, Math.min(records.size(), from + cfg.maxRecordsPerMessage()));
                acks.add(request(h, new Store(self, List.copyOf(batch))).handle((m, e) -> e == null && m instanceof StoreAck));
            }
        }
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).thenApply(v -> {
            int ok = 0;
            for (CompletableFuture<Boolean> a : acks) {
                if (a.join()) {
                    ok++;
                }
            }
            return ok;
        });
    }

    // ---------------------------------------------------------------- raw put/get (operator commands)

    /**
     * Writes a raw record (operator {@code starling dht put}): signed by this node, revision from
     * its clock, stored locally if this node is a holder and on the r closest super-peers.
     * {@code ttlMillis} 0 = permanent. Completes with the record once every reachable holder stored it.
     */
    public CompletableFuture<DhtRecord> putRaw(String collection, String name, byte[] value, long ttlMillis) {
        return onLoop(() -> replicaSet(DhtRecord.locationKeyOf(collection)).thenCompose(holders -> {
            long expires = ttlMillis > 0 ? loop.clock().wallMillis() + ttlMillis : 0;
            DhtRecord r = sign(collection, name, value, hlc.next(), expires);
            boolean selfHolds = holders.stream().anyMatch(c -> c.id().equals(self.id()));
            if (selfHolds) {
                applyLocal(r);
            }
            return storeAt(holders, List.of(r)).thenApply(n -> r);
        }));
    }

    /** Reads a raw record from its replica set, merging the versions found (each verified). */
    public CompletableFuture<Optional<DhtRecord>> getRaw(String collection, String name) {
        return onLoop(() -> replicaSet(DhtRecord.locationKeyOf(collection)).thenCompose(holders -> {
            List<CompletableFuture<DhtRecord>> reads = new ArrayList<>();
            for (Contact h : holders) {
                if (h.id().equals(self.id())) {
                    reads.add(CompletableFuture.completedFuture(readVerified(collection, name)));
                } else {
                    reads.add(request(h, new FindValue(self, collection, name)).handle((m, e) -> {
                        if (e == null && m instanceof Value v && v.record() != null) {
                            if (verify(v.record()) && v.record().collection().equals(collection)
                                    && v.record().name().equals(name)) {
                                return v.record();
                            }
                            countRejected();
                        }
                        return null;
                    }));
                }
            }
            return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(v -> {
                DhtRecord best = null;
                for (CompletableFuture<DhtRecord> f : reads) {
                    best = RecordMerge.merge(best, f.join());
                }
                return Optional.ofNullable(best).filter(b -> !b.tombstone());
            });
        }));
    }

    // ---------------------------------------------------------------- replication maintenance

    /** Periodic republish: every collection held goes to its freshly looked-up replica set. */
    public CompletableFuture<Void> republishAll() {
        return onLoop(() -> {
            List<CompletableFuture<Integer>> pushes = new ArrayList<>();
            for (String collection : storage.collections()) {
                List<DhtRecord> records = localList(collection);
                if (records.isEmpty()) {
                    continue;
                }
                CompletableFuture<List<Contact>> set = siteReplicated(collection)
                        ? CompletableFuture.completedFuture(siteReplicaSet(DhtRecord.locationKeyOf(collection)))
                        : replicaSet(DhtRecord.locationKeyOf(collection));
                pushes.add(set.thenCompose(holders -> {
                    knownReplicaSets.put(collection, ids(holders));
                    metrics.recordsRepublished += records.size();
                    return storeAt(holders, records);
                }));
            }
            return CompletableFuture.allOf(pushes.toArray(CompletableFuture[]::new));
        });
    }

    /** Repair after a routing change: push to replica-set members that were not members before. */
    private void repairFromTable() {
        if (closed) {
            return;
        }
        for (String collection : storage.collections()) {
            List<Contact> holders = holdersFromLocalView(collection);
            List<NodeId> now = ids(holders);
            List<NodeId> before = knownReplicaSets.put(collection, now);
            if (now.equals(before)) {
                continue;
            }
            List<Contact> fresh = new ArrayList<>();
            for (Contact h : holders) {
                if (before == null || !before.contains(h.id())) {
                    fresh.add(h);
                }
            }
            List<DhtRecord> records = localList(collection);
            if (!records.isEmpty() && !fresh.isEmpty()) {
                metrics.recordsRepublished += (long) records.size() * fresh.size();
                storeAt(fresh, records);
            }
        }
    }

    private static List<NodeId> ids(List<Contact> contacts) {
        List<NodeId> out = new ArrayList<>(contacts.size());
        for (Contact c : contacts) {
            out.add(c.id());
        }
        return out;
    }

    /** Purges expired soft state and tombstones older than the grace period. */
    public void sweep() {
        long now = loop.clock().wallMillis();
        for (String collection : storage.collections()) {
            for (DhtRecord r : storage.list(collection)) {
                boolean oldTombstone = r.tombstone()
                        && HybridClock.millisOf(r.revision()) + cfg.tombstoneGraceMillis() <= now;
                if (r.expired(now) || oldTombstone) {
                    storage.remove(r.collection(), r.name());
                    metrics.recordsPurged++;
                }
            }
        }
    }

    // ---------------------------------------------------------------- site directory

    static final String SITES_COLLECTION = "_dir/sites";
    /** Directory records live this many refresh periods (a crashed member is dropped on first failure anyway). */
    static final int DIRECTORY_TTL_PERIODS = 6;

    static String membersCollection(String site) {
        return "_dir/members/" + site;
    }

    /**
     * Publishes this super-peer's directory record and its site's mark, then reads back its own
     * site's members and the members of every site it knows no live member of. Never fails (an
     * unreachable directory leaves the directory as it is).
     */
    public CompletableFuture<Void> refreshDirectory() {
        return onLoop(() -> {
            byte[] address = (self.address().host() + ":" + self.address().port()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            DhtRecord mine = ownDirectoryRecord(membersCollection(self.site()), self.id().toHex(), address);
            CompletableFuture<Void> own = publishAndRead(mine).thenCompose(rs -> learnMembers(self.site(), rs));
            CompletableFuture<Void> others = readGlobal(SITES_COLLECTION).thenCompose(marks -> {
                long now = loop.clock().wallMillis();
                long halfLife = DIRECTORY_TTL_PERIODS * cfg.directoryRefreshMillis() / 2;
                boolean fresh = marks.stream().anyMatch(r -> r.name().equals(self.site()) && !r.tombstone()
                        && r.expiresAtMillis() - now >= halfLife);
                if (fresh) {
                    return CompletableFuture.completedFuture(marks);
                }
                // our site's mark is missing or ageing: (re)publish it (one member of a site usually suffices)
                return publishAndRead(ownDirectoryRecord(SITES_COLLECTION, self.site(), new byte[0]));
            }).thenCompose(marks -> {
                List<CompletableFuture<Void>> reads = new ArrayList<>();
                for (DhtRecord r : marks) {
                    String site = r.name();
                    if (!r.tombstone() && !site.equals(self.site()) && directory.members(site).isEmpty()) {
                        reads.add(readGlobal(membersCollection(site)).thenCompose(rs -> learnMembers(site, rs)));
                    }
                }
                return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new));
            });
            return CompletableFuture.allOf(own, others).handle((v, e) -> null);
        });
    }

    private DhtRecord ownDirectoryRecord(String collection, String name, byte[] value) {
        long now = loop.clock().wallMillis();
        DhtRecord r = ownDirectoryRecords.get(collection);
        if (r == null || r.expiresAtMillis() - now < DIRECTORY_TTL_PERIODS * cfg.directoryRefreshMillis() / 2) {
            r = sign(collection, name, value, hlc.next(), now + DIRECTORY_TTL_PERIODS * cfg.directoryRefreshMillis());
            ownDirectoryRecords.put(collection, r);
        }
        return r;
    }

    private CompletableFuture<List<DhtRecord>> publishAndRead(DhtRecord r) {
        return directoryHolders(r.collection()).thenCompose(holders -> {
            if (holders.stream().anyMatch(c -> c.id().equals(self.id()))) {
                applyLocal(r);
            }
            return storeAt(holders, List.of(r)).thenCompose(n -> readGlobal(r.collection()));
        });
    }

    /**
     * Every record of a global directory collection held by its two closest holders, by name. Not
     * verified here (holders verified them when stored): directory records are hints about
     * membership, checked by use (a member that does not answer is dropped, and super-peers serve
     * primary requests only from their own site); signature checks of hundreds of records on every
     * refresh would dominate large simulations.
     */
    private CompletableFuture<List<DhtRecord>> readGlobal(String collection) {
        return directoryHolders(collection).thenCompose(holders -> {
            List<CompletableFuture<List<DhtRecord>>> reads = new ArrayList<>();
            for (Contact h : holders.subList(0, Math.min(2, holders.size()))) {
                if (h.id().equals(self.id())) {
                    reads.add(CompletableFuture.completedFuture(localList(collection)));
                } else {
                    reads.add(request(h, new FindCollection(self, collection)).handle((m, e) -> {
                        if (e == null && m instanceof CollectionRecords c) {
                            return c.records();
                        }
                        return List.<DhtRecord>of();
                    }));
                }
            }
            return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(v -> {
                Map<String, DhtRecord> byName = new TreeMap<>();
                long now = loop.clock().wallMillis();
                for (CompletableFuture<List<DhtRecord>> f : reads) {
                    for (DhtRecord r : f.join()) {
                        if (r.collection().equals(collection) && !r.expired(now)) {
                            byName.merge(r.name(), r, RecordMerge::merge);
                        }
                    }
                }
                return List.copyOf(byName.values());
            });
        });
    }

    /**
     * Adds the members named by directory records (hints: a member that then fails a request is
     * dropped, and a record published before that failure does not bring it back).
     */
    private CompletableFuture<Void> learnMembers(String site, List<DhtRecord> records) {
        boolean changed = false;
        for (DhtRecord r : records) {
            if (r.tombstone() || !r.writer().toHex().equals(r.name()) || r.writer().equals(self.id())) {
                continue; // only a member itself publishes its record
            }
            try {
                PeerAddress a = PeerAddress.parse(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8));
                changed |= directory.observeRecord(new Contact(r.writer(), a, site, true), HybridClock.millisOf(r.revision()));
            } catch (IllegalArgumentException e) {
                countRejected();
            }
        }
        if (changed) {
            scheduleRepair();
        }
        return CompletableFuture.completedFuture(null);
    }

    /**
     * The global holders of a directory collection. Member lists are looked up afresh for every
     * refresh (holders move as super-peers join, and publisher and reader must meet on the current
     * ones: all of a site must agree on its members); the list of sites, which only needs to be
     * roughly right (other sites are also learned from routing contacts), comes from the routing
     * table, which saves a lookup per refresh.
     */
    private CompletableFuture<List<Contact>> directoryHolders(String collection) {
        NodeId key = DhtRecord.locationKeyOf(collection);
        return collection.equals(SITES_COLLECTION) ? CompletableFuture.completedFuture(localReplicaSet(key)) : replicaSet(key);
    }

    /** Structural invariants (routing table, site directory); throws IllegalStateException. */
    public void checkInvariants() {
        table.checkInvariants();
        directory.checkInvariants();
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Cancellable t : timers) {
            t.cancel();
        }
        pendingRepair.cancel();
        try {
            storage.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "closing record storage failed", e);
        }
    }
}
