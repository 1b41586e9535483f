package io.starling.dht.kademlia;

import io.starling.core.net.Contact;
import io.starling.core.net.NodeId;
import io.starling.core.random.RandomSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Kademlia routing table: {@link NodeId#BITS} k-buckets indexed by the length of the common prefix
 * with our own id (bucket i holds contacts whose first differing bit is bit i). Each bucket keeps
 * its contacts in least-recently-seen order (oldest first) and a bounded replacement cache.
 *
 * <p>A full bucket never drops a live contact for a new one: {@link #observe} returns the oldest
 * contact for the caller to ping; only if that ping fails does {@link #remove} evict it and promote
 * the freshest replacement (old contacts that stay up are the most likely to stay up). Only
 * super-peers belong here. Pure and single-threaded; invariants in {@link #checkInvariants}.
 */
public final class RoutingTable {
    /** What {@link #observe} did. {@code toPing} is set for {@link Kind#BUCKET_FULL}. */
    public record Update(Kind kind, Contact toPing) {
        public enum Kind { ADDED, REFRESHED, BUCKET_FULL, REJECTED }
    }

    private static final Update ADDED = new Update(Update.Kind.ADDED, null);
    private static final Update REFRESHED = new Update(Update.Kind.REFRESHED, null);
    private static final Update REJECTED = new Update(Update.Kind.REJECTED, null);

    private final NodeId self;
    private final int k;
    private final int replacementCacheSize;
    private final Bucket[] buckets = new Bucket[NodeId.BITS];
    private int size;
    /** Index of the deepest non-empty bucket, -1 when empty. */
    private int deepest = -1;

    private static final class Bucket {
        final LinkedHashMap<NodeId, Contact> contacts = new LinkedHashMap<>();
        final LinkedHashMap<NodeId, Contact> replacements = new LinkedHashMap<>();
        long lastTouchedMillis;
    }

    public RoutingTable(NodeId self, int k, int replacementCacheSize) {
        if (k < 1 || replacementCacheSize < 0) {
            throw new IllegalArgumentException("k must be >= 1 and the replacement cache >= 0");
        }
        this.self = self;
        this.k = k;
        this.replacementCacheSize = replacementCacheSize;
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new Bucket();
        }
    }

    public NodeId self() {
        return self;
    }

    public int k() {
        return k;
    }

    public int size() {
        return size;
    }

    public int bucketIndex(NodeId id) {
        return self.commonPrefixLength(id);
    }

    /** Records that {@code contact} was seen alive at {@code nowMillis}. */
    public Update observe(Contact contact, long nowMillis) {
        NodeId id = contact.id();
        if (!contact.superPeer() || id.equals(self)) {
            return REJECTED;
        }
        Bucket b = buckets[bucketIndex(id)];
        b.lastTouchedMillis = Math.max(b.lastTouchedMillis, nowMillis);
        if (b.contacts.containsKey(id)) {
            b.contacts.remove(id);
            b.contacts.put(id, contact); // move to the tail: most recently seen, address may have changed
            return REFRESHED;
        }
        if (b.contacts.size() < k) {
            b.contacts.put(id, contact);
            b.replacements.remove(id);
            size++;
            deepest = Math.max(deepest, bucketIndex(id));
            return ADDED;
        }
        b.replacements.remove(id);
        b.replacements.put(id, contact);
        if (b.replacements.size() > replacementCacheSize) {
            Iterator<NodeId> it = b.replacements.keySet().iterator();
            it.next();
            it.remove();
        }
        return new Update(Update.Kind.BUCKET_FULL, b.contacts.values().iterator().next());
    }

    /** Removes a contact that failed to answer; the freshest replacement takes its place. */
    public boolean remove(NodeId id) {
        if (id.equals(self)) {
            return false;
        }
        Bucket b = buckets[bucketIndex(id)];
        b.replacements.remove(id);
        if (b.contacts.remove(id) == null) {
            return false;
        }
        size--;
        if (!b.replacements.isEmpty()) {
            NodeId newest = null;
            for (NodeId r : b.replacements.keySet()) {
                newest = r;
            }
            Contact c = b.replacements.remove(newest);
            b.contacts.put(newest, c);
            size++;
        }
        if (b.contacts.isEmpty()) {
            recomputeDeepest();
        }
        return true;
    }

    public boolean contains(NodeId id) {
        return !id.equals(self) && buckets[bucketIndex(id)].contacts.containsKey(id);
    }

    public Contact get(NodeId id) {
        return id.equals(self) ? null : buckets[bucketIndex(id)].contacts.get(id);
    }

    /**
     * The {@code n} contacts closest to {@code target}, nearest first, visiting buckets in distance
     * order so only a few small buckets are sorted. With c = cpl(self, target): bucket c is nearest;
     * then the deeper buckets i > c, where bucket i precedes every deeper bucket iff bit i of
     * (self xor target) is 1 (its members then match the target at bit i); then buckets c-1 .. 0.
     */
    public List<Contact> closest(NodeId target, int n) {
        List<Contact> out = new ArrayList<>(n);
        Comparator<Contact> byDistance = (a, b) -> target.compareDistance(a.id(), b.id());
        int c = Math.min(self.commonPrefixLength(target), NodeId.BITS - 1);
        List<Contact> group = new ArrayList<>(k);
        addSorted(out, group, buckets[c], byDistance, n);
        if (out.size() < n && deepest > c) {
            // first pass: buckets whose bit agrees with the target, shallow to deep
            for (int i = c + 1; i <= deepest && out.size() < n; i++) {
                if (bitOfXor(target, i)) {
                    addSorted(out, group, buckets[i], byDistance, n);
                }
            }
            // second pass: the others, deep to shallow
            for (int i = deepest; i > c && out.size() < n; i--) {
                if (!bitOfXor(target, i)) {
                    addSorted(out, group, buckets[i], byDistance, n);
                }
            }
        }
        for (int i = c - 1; i >= 0 && out.size() < n; i--) {
            addSorted(out, group, buckets[i], byDistance, n);
        }
        return out;
    }

    /** Bit {@code i} (0 = most significant) of self xor target. */
    private boolean bitOfXor(NodeId target, int i) {
        int x = self.byteAt(i / 8) ^ target.byteAt(i / 8);
        return (x & (0x80 >>> (i % 8))) != 0;
    }

    private static void addSorted(List<Contact> out, List<Contact> group, Bucket b, Comparator<Contact> order, int n) {
        if (b.contacts.isEmpty()) {
            return;
        }
        group.clear();
        group.addAll(b.contacts.values());
        group.sort(order);
        addUpTo(out, group, n);
    }

    private int deepestNonEmpty() {
        return deepest;
    }

    private void recomputeDeepest() {
        deepest = -1;
        for (int i = NodeId.BITS - 1; i >= 0; i--) {
            if (!buckets[i].contacts.isEmpty()) {
                deepest = i;
                return;
            }
        }
    }

    private static void addUpTo(List<Contact> out, List<Contact> group, int n) {
        for (int i = 0; i < group.size() && out.size() < n; i++) {
            out.add(group.get(i));
        }
    }

    /** Every contact, bucket by bucket, oldest first within a bucket. */
    public List<Contact> all() {
        List<Contact> out = new ArrayList<>(size);
        for (Bucket b : buckets) {
            out.addAll(b.contacts.values());
        }
        return out;
    }

    public int bucketSize(int index) {
        return buckets[index].contacts.size();
    }

    /** Marks the bucket of {@code target} as used (a lookup into it counts as a refresh). */
    public void touch(NodeId target, long nowMillis) {
        Bucket b = buckets[Math.min(bucketIndex(target), NodeId.BITS - 1)];
        b.lastTouchedMillis = Math.max(b.lastTouchedMillis, nowMillis);
    }

    /**
     * Buckets not touched for {@code intervalMillis}: every bucket up to one past the deepest
     * non-empty bucket (deeper ones are empty in any realistic network and refreshing them is waste).
     */
    public List<Integer> staleBuckets(long nowMillis, long intervalMillis) {
        int deepest = deepestNonEmpty();
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i <= Math.min(deepest + 1, NodeId.BITS - 1); i++) {
            if (nowMillis - buckets[i].lastTouchedMillis >= intervalMillis) {
                out.add(i);
            }
        }
        return out;
    }

    /** A random id that falls into bucket {@code index}: shares exactly {@code index} prefix bits with us. */
    public NodeId randomIdInBucket(int index, RandomSource random) {
        byte[] bytes = new byte[NodeId.BYTES];
        random.nextBytes(bytes);
        byte[] mine = self.toBytes();
        for (int bit = 0; bit <= index; bit++) {
            int byteIdx = bit / 8;
            int mask = 0x80 >>> (bit % 8);
            boolean selfBit = (mine[byteIdx] & mask) != 0;
            boolean want = bit == index ? !selfBit : selfBit;
            bytes[byteIdx] = (byte) (want ? (bytes[byteIdx] | mask) : (bytes[byteIdx] & ~mask));
        }
        return NodeId.of(bytes);
    }

    /** Throws IllegalStateException when a structural invariant is broken. */
    public void checkInvariants() {
        int counted = 0;
        java.util.Set<NodeId> seen = new java.util.HashSet<>();
        for (int i = 0; i < buckets.length; i++) {
            Bucket b = buckets[i];
            if (b.contacts.size() > k) {
                throw new IllegalStateException("bucket " + i + " holds " + b.contacts.size() + " > k=" + k);
            }
            if (b.replacements.size() > replacementCacheSize) {
                throw new IllegalStateException("replacement cache of bucket " + i + " too large");
            }
            for (var e : b.contacts.entrySet()) {
                NodeId id = e.getKey();
                if (!id.equals(e.getValue().id())) {
                    throw new IllegalStateException("contact filed under a foreign id");
                }
                if (id.equals(self)) {
                    throw new IllegalStateException("routing table contains self");
                }
                if (bucketIndex(id) != i) {
                    throw new IllegalStateException("contact " + id.shortHex() + " in bucket " + i
                            + " but belongs to " + bucketIndex(id));
                }
                if (!e.getValue().superPeer()) {
                    throw new IllegalStateException("edge peer in routing table");
                }
                if (!seen.add(id)) {
                    throw new IllegalStateException("duplicate contact " + id.shortHex());
                }
                if (b.replacements.containsKey(id)) {
                    throw new IllegalStateException("contact both live and in replacement cache");
                }
                counted++;
            }
        }
        int expectDeepest = deepest;
        recomputeDeepest();
        if (expectDeepest != deepest) {
            throw new IllegalStateException("deepest bucket index stale: " + expectDeepest + " vs " + deepest);
        }
        if (counted != size) {
            throw new IllegalStateException("size " + size + " but " + counted + " contacts");
        }
    }
}
