package io.starling.dht.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.dht.record.DhtRecord;
import io.starling.dht.record.FieldClocks;
import io.starling.dht.record.FieldClocks.Entry;
import io.starling.dht.record.FieldClocks.Stamp;
import io.starling.dht.record.LwwValueMerge;
import io.starling.dht.record.MergeConflict;
import io.starling.dht.record.ValueMerge;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Per-field merge of Kubernetes objects stored as JSON.
 *
 * <p><b>Paths.</b> A clock is kept per JSON pointer: every top-level key, and one level deeper
 * for {@code metadata}, {@code spec}, {@code status}, {@code data}, {@code stringData} and
 * {@code binaryData} (so {@code /spec/replicas} and {@code /spec/template} are separate fields),
 * and two levels deeper for {@code /metadata/labels/<key>} and {@code /metadata/annotations/<key>}.
 * Arrays and anything deeper are atomic values. A container that is a JSON object is recorded as
 * an (empty) presence marker next to its children. {@code metadata.resourceVersion} is not merged
 * (the store's revision is the resource version, per site).
 *
 * <p><b>Rules</b> (a join: commutative, associative, idempotent):
 * <ol>
 *   <li>Different instances (created stamp, uid): the later created wins whole; the other is
 *       dropped with its edits (a re-create after a delete is a new instance).</li>
 *   <li>Same instance, either side deleted: tombstone (delete beats every edit of that instance;
 *       nothing is resurrected).</li>
 *   <li>Same instance, both live: per path the entry with the larger (hlc, site) wins, with its
 *       value or absence. A dropped value the winner had not seen is reported as a
 *       {@link MergeConflict}.</li>
 * </ol>
 * Values that are not JSON objects fall back to {@link LwwValueMerge}. The merged document is
 * rebuilt with sorted keys; equality is JSON equality, so key order never counts as a change.
 */
public final class KubeValueMerge implements ValueMerge {
    public static final KubeValueMerge INSTANCE = new KubeValueMerge();
    private static final Set<String> SPLIT_TOP = Set.of("metadata", "spec", "status", "data", "stringData", "binaryData");
    private static final Set<String> SPLIT_META = Set.of("labels", "annotations");
    private static final String RESOURCE_VERSION = "/metadata/resourceVersion";

    @Override
    public FieldClocks clocksForWrite(DhtRecord previous, byte[] value, Stamp stamp) {
        ObjectNode next = value == null ? null : parse(value);
        if (value != null && next == null) {
            return LwwValueMerge.INSTANCE.clocksForWrite(previous, value, stamp);
        }
        ObjectNode prevJson = previous == null || previous.tombstone() ? null : parse(previous.value());
        FieldClocks prevClocks = previous == null ? null : clocksOf(previous, prevJson);
        if (next == null) {
            if (prevClocks == null || previous.tombstone()) {
                return FieldClocks.single("", stamp, true);
            }
            return new FieldClocks(prevClocks.uid(), prevClocks.created(), stamp, Map.of());
        }
        String uid = uid(next);
        boolean sameInstance = prevJson != null && prevClocks != null && prevClocks.deleted() == null
                && uid.equals(prevClocks.uid());
        SortedMap<String, JsonNode> nextLeaves = leaves(next);
        TreeMap<String, Entry> fields = new TreeMap<>();
        if (!sameInstance) {
            for (String path : nextLeaves.keySet()) {
                fields.put(path, Entry.of(stamp));
            }
            return new FieldClocks(uid, stamp, null, fields);
        }
        SortedMap<String, JsonNode> prevLeaves = leaves(prevJson);
        Set<String> paths = new TreeSet<>(prevClocks.fields().keySet());
        paths.addAll(prevLeaves.keySet());
        paths.addAll(nextLeaves.keySet());
        for (String path : paths) {
            Entry before = prevClocks.fields().get(path);
            if (before == null) {
                before = Entry.of(prevClocks.created());
            }
            JsonNode a = prevLeaves.get(path);
            JsonNode b = nextLeaves.get(path);
            boolean same = a == null ? b == null : a.equals(b);
            fields.put(path, same ? before : before.overwrittenAt(stamp));
        }
        return new FieldClocks(uid, prevClocks.created(), null, fields);
    }

    @Override
    public Merged merge(DhtRecord local, DhtRecord remote) {
        ObjectNode lj = local == null || local.tombstone() ? null : parse(local.value());
        ObjectNode rj = remote.tombstone() ? null : parse(remote.value());
        if ((local != null && !local.tombstone() && lj == null) || (!remote.tombstone() && rj == null)) {
            return LwwValueMerge.INSTANCE.merge(local, remote);
        }
        if (local == null) {
            return new Merged(remote.value(), clocksOf(remote, rj), remote.expiresAtMillis(), true, List.of());
        }
        FieldClocks lc = clocksOf(local, lj);
        FieldClocks rc = clocksOf(remote, rj);
        int inst = lc.compareInstance(rc);
        if (inst != 0) {
            DhtRecord w = inst > 0 ? local : remote;
            FieldClocks wc = inst > 0 ? lc : rc;
            return new Merged(w.value(), wc, w.expiresAtMillis(), w != local, List.of());
        }
        long expires = Math.max(local.expiresAtMillis(), remote.expiresAtMillis());
        Stamp deleted = Stamp.max(lc.deleted(), rc.deleted());
        if (deleted != null) {
            FieldClocks c = new FieldClocks(lc.uid(), lc.created(), deleted, Map.of());
            boolean changed = !local.tombstone() || !c.equals(lc) || expires != local.expiresAtMillis();
            return new Merged(null, c, expires, changed, List.of());
        }
        SortedMap<String, JsonNode> ll = leaves(lj);
        SortedMap<String, JsonNode> rl = leaves(rj);
        Set<String> paths = new TreeSet<>(lc.fields().keySet());
        paths.addAll(rc.fields().keySet());
        paths.addAll(ll.keySet());
        paths.addAll(rl.keySet());
        TreeMap<String, Entry> fields = new TreeMap<>();
        TreeMap<String, JsonNode> winners = new TreeMap<>();
        List<MergeConflict> conflicts = new ArrayList<>();
        for (String path : paths) {
            Entry le = lc.fields().getOrDefault(path, Entry.of(lc.created()));
            Entry re = rc.fields().getOrDefault(path, Entry.of(rc.created()));
            int c = le.stamp().compareTo(re.stamp());
            boolean localWins = c >= 0;
            Entry we = localWins ? le : re;
            Entry xe = localWins ? re : le;
            JsonNode wv = localWins ? ll.get(path) : rl.get(path);
            JsonNode xv = localWins ? rl.get(path) : ll.get(path);
            boolean sameValue = wv == null ? xv == null : wv.equals(xv);
            if (c != 0 && !sameValue && !we.hasSeen(xe.stamp()) && !xe.hasSeen(we.stamp())) {
                conflicts.add(new MergeConflict(local.collection(), local.name(), path, text(wv), text(xv),
                        we.stamp().site(), xe.stamp().site(), xe.stamp().hlc()));
            }
            fields.put(path, Entry.join(le, re));
            if (wv != null) {
                winners.put(path, wv);
            }
        }
        FieldClocks merged = new FieldClocks(lc.uid(), lc.created(), null, fields);
        ObjectNode doc = rebuild(winners);
        boolean changed = !doc.equals(lj) || !merged.equals(lc) || expires != local.expiresAtMillis();
        byte[] value = changed ? toBytes(doc) : local.value();
        return new Merged(value, merged, expires, changed, conflicts);
    }

    /** The record's clocks; records without clocks get every present path stamped (revision, home site). */
    private static FieldClocks clocksOf(DhtRecord r, ObjectNode json) {
        FieldClocks c = r.fieldClocks();
        if (c != null) {
            return c;
        }
        Stamp s = new Stamp(r.revision(), r.homeSite());
        if (json == null) {
            return FieldClocks.single("", s, r.tombstone());
        }
        TreeMap<String, Entry> fields = new TreeMap<>();
        for (String path : leaves(json).keySet()) {
            fields.put(path, Entry.of(s));
        }
        return new FieldClocks(uid(json), s, null, fields);
    }

    // ------------------------------------------------------------ JSON paths

    private static ObjectNode parse(byte[] value) {
        if (value == null || value.length == 0 || value[0] != '{') {
            return null;
        }
        try {
            JsonNode n = KubeJson.MAPPER.readTree(value);
            return n instanceof ObjectNode o ? o : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static byte[] toBytes(JsonNode n) {
        try {
            return KubeJson.MAPPER.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write merged JSON", e);
        }
    }

    private static String text(JsonNode n) {
        return n == null ? null : n.toString();
    }

    private static String uid(ObjectNode o) {
        JsonNode u = o.path("metadata").path("uid");
        return u.isTextual() ? u.asText() : "";
    }

    /** Leaf values by JSON pointer (object containers that are split appear as an empty marker). */
    static SortedMap<String, JsonNode> leaves(ObjectNode root) {
        TreeMap<String, JsonNode> out = new TreeMap<>();
        if (root == null) {
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> top = it.next();
            String p1 = "/" + escape(top.getKey());
            JsonNode v1 = top.getValue();
            if (!SPLIT_TOP.contains(top.getKey()) || !v1.isObject()) {
                out.put(p1, v1);
                continue;
            }
            out.put(p1, JsonNodeFactory.instance.objectNode());
            boolean meta = top.getKey().equals("metadata");
            for (Iterator<Map.Entry<String, JsonNode>> it2 = v1.fields(); it2.hasNext(); ) {
                Map.Entry<String, JsonNode> second = it2.next();
                String p2 = p1 + "/" + escape(second.getKey());
                JsonNode v2 = second.getValue();
                if (p2.equals(RESOURCE_VERSION)) {
                    continue;
                }
                if (!meta || !SPLIT_META.contains(second.getKey()) || !v2.isObject()) {
                    out.put(p2, v2);
                    continue;
                }
                out.put(p2, JsonNodeFactory.instance.objectNode());
                for (Iterator<Map.Entry<String, JsonNode>> it3 = v2.fields(); it3.hasNext(); ) {
                    Map.Entry<String, JsonNode> third = it3.next();
                    out.put(p2 + "/" + escape(third.getKey()), third.getValue());
                }
            }
        }
        return out;
    }

    /** Rebuilds a document from winning leaves (parents before children: pointer order). */
    private static ObjectNode rebuild(SortedMap<String, JsonNode> winners) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> e : winners.entrySet()) {
            List<String> segs = segments(e.getKey());
            ObjectNode parent = root;
            for (int i = 0; i < segs.size() - 1; i++) {
                JsonNode child = parent.get(segs.get(i));
                if (!(child instanceof ObjectNode)) {
                    // a present child forces its container to be an object
                    child = parent.putObject(segs.get(i));
                }
                parent = (ObjectNode) child;
            }
            String last = segs.get(segs.size() - 1);
            JsonNode v = e.getValue();
            boolean marker = v.isObject() && v.size() == 0 && parent.get(last) instanceof ObjectNode;
            if (!marker) {
                parent.set(last, v.deepCopy());
            }
        }
        return sortKeys(root);
    }

    private static ObjectNode sortKeys(ObjectNode n) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        TreeMap<String, JsonNode> sorted = new TreeMap<>();
        n.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
        sorted.forEach((k, v) -> out.set(k, v instanceof ObjectNode o ? sortKeys(o) : v));
        return out;
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private static List<String> segments(String pointer) {
        List<String> out = new ArrayList<>();
        for (String s : pointer.substring(1).split("/", -1)) {
            out.add(s.replace("~1", "/").replace("~0", "~"));
        }
        return out;
    }
}
