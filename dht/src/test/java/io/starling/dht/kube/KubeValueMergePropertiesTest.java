package io.starling.dht.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.core.net.NodeId;
import io.starling.dht.record.DhtRecord;
import io.starling.dht.record.FieldClocks;
import io.starling.dht.record.MergeConflict;
import io.starling.dht.record.ValueMerge;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/**
 * The per-field merge of Kubernetes JSON is a join whatever the histories: three sites edit one
 * object (labels, one shared annotation, spec, status, deletes, re-creates) and now and then merge
 * each other's versions; any versions of those histories merge commutatively, associatively and
 * idempotently, and a delete is never undone by an edit of the same instance.
 */
class KubeValueMergePropertiesTest {
    static final KubeValueMerge M = KubeValueMerge.INSTANCE;
    static final String[] SITES = {"a", "b", "c"};
    static final NodeId WRITER = NodeId.of(new byte[20]);

    /** Scripts of site operations; each code picks a site, an operation and an argument. */
    static Gen<List<Integer>> scripts() {
        return SourceDSL.lists().of(SourceDSL.integers().between(0, 9_999)).ofSizeBetween(1, 14);
    }

    /** Every version produced by running {@code script} (the shared base first). */
    static List<DhtRecord> versions(List<Integer> script) {
        List<DhtRecord> all = new ArrayList<>();
        long[] hlc = {100};
        DhtRecord base = write(null, obj("u0", "{\"k0\":\"base\"}", "{}", 1, null), new FieldClocks.Stamp(hlc[0], "a"));
        DhtRecord[] cur = {base, base, base};
        all.add(base);
        for (int x : script) {
            int site = x % 3;
            int kind = (x / 3) % 8;
            int arg = (x / 24) % 3;
            hlc[0] += 1 + (x % 2);
            FieldClocks.Stamp stamp = new FieldClocks.Stamp(hlc[0], SITES[site]);
            DhtRecord c = cur[site];
            DhtRecord next = null;
            if (kind == 6) {
                ValueMerge.Merged m = M.merge(c, cur[(site + 1 + arg % 2) % 3]);
                if (m.changed()) {
                    next = record(m, stamp.hlc(), stamp.site());
                }
            } else if (kind == 5) {
                next = write(c, obj("u" + x, "{\"k" + arg + "\":\"new\"}", "{}", arg, null), stamp);
            } else if (!c.tombstone()) {
                ObjectNode o = parse(c.value());
                ObjectNode meta = (ObjectNode) o.get("metadata");
                switch (kind) {
                    case 0 -> meta.with("labels").put("k" + arg, "v" + x);
                    case 1 -> meta.with("labels").remove("k" + arg);
                    case 2 -> meta.with("annotations").put("note", "from-" + SITES[site] + "-" + x);
                    case 3 -> o.with("spec").put("replicas", arg + 2);
                    case 4 -> o = null;
                    default -> o.with("status").put("phase", "P" + x);
                }
                next = write(c, o, stamp);
            }
            if (next != null) {
                cur[site] = next;
                all.add(next);
            }
        }
        return all;
    }

    static ObjectNode obj(String uid, String labels, String annotations, int replicas, String phase) {
        String json = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\",\"uid\":\"" + uid
                + "\",\"labels\":" + labels + ",\"annotations\":" + annotations + "},\"spec\":{\"replicas\":" + replicas
                + ",\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\"}]}}}"
                + (phase == null ? "" : ",\"status\":{\"phase\":\"" + phase + "\"}") + "}";
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    static DhtRecord write(DhtRecord prev, ObjectNode value, FieldClocks.Stamp stamp) {
        byte[] bytes = value == null ? null : value.toString().getBytes(StandardCharsets.UTF_8);
        FieldClocks clocks = M.clocksForWrite(prev, bytes, stamp);
        return DhtRecord.unsigned("default/apps/deployments/shop", "web", bytes, stamp.hlc(), WRITER, stamp.site(), 0, clocks);
    }

    static DhtRecord record(ValueMerge.Merged m, long revision, String site) {
        return DhtRecord.unsigned("default/apps/deployments/shop", "web", m.value(), revision, WRITER, site,
                m.expiresAtMillis(), m.clocks());
    }

    static ObjectNode parse(byte[] b) {
        try {
            return (ObjectNode) KubeJson.MAPPER.readTree(b);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What must agree between sites: the JSON value (not its key order), the clocks, the expiry. */
    record Content(JsonNode value, FieldClocks clocks, long expires) {}

    static Content content(ValueMerge.Merged m) {
        return new Content(m.value() == null ? null : parse(m.value()), m.clocks(), m.expiresAtMillis());
    }

    static DhtRecord pick(List<DhtRecord> vs, int i) {
        return vs.get(Math.floorMod(i, vs.size()));
    }

    @Test
    void mergeIsCommutative() {
        qt().withExamples(300).forAll(scripts(), SourceDSL.integers().all(), SourceDSL.integers().all()).check((s, i, j) -> {
            List<DhtRecord> vs = versions(s);
            DhtRecord x = pick(vs, i);
            DhtRecord y = pick(vs, j);
            return content(M.merge(x, y)).equals(content(M.merge(y, x)));
        });
    }

    @Test
    void mergeIsAssociative() {
        qt().withExamples(300).forAll(scripts(), SourceDSL.integers().all(), SourceDSL.integers().all(), SourceDSL.integers().all())
                .check((s, i, j, k) -> {
                    List<DhtRecord> vs = versions(s);
                    DhtRecord x = pick(vs, i);
                    DhtRecord y = pick(vs, j);
                    DhtRecord z = pick(vs, k);
                    Content left = content(M.merge(record(M.merge(x, y), 1, "a"), z));
                    Content right = content(M.merge(x, record(M.merge(y, z), 1, "a")));
                    return left.equals(right);
                });
    }

    @Test
    void mergeIsIdempotent() {
        qt().withExamples(300).forAll(scripts(), SourceDSL.integers().all(), SourceDSL.integers().all()).check((s, i, j) -> {
            List<DhtRecord> vs = versions(s);
            DhtRecord x = pick(vs, i);
            DhtRecord y = pick(vs, j);
            DhtRecord xy = record(M.merge(x, y), 1, "a");
            return !M.merge(x, x).changed() && !M.merge(xy, y).changed() && !M.merge(xy, x).changed();
        });
    }

    @Test
    void aDeleteIsNeverUndoneByAnEditOfTheSameInstance() {
        qt().withExamples(300).forAll(scripts(), SourceDSL.integers().all(), SourceDSL.integers().all()).check((s, i, j) -> {
            List<DhtRecord> vs = versions(s);
            DhtRecord x = pick(vs, i);
            DhtRecord y = pick(vs, j);
            FieldClocks xc = x.fieldClocks();
            FieldClocks yc = y.fieldClocks();
            boolean sameInstance = xc.compareInstance(yc) == 0;
            if (!sameInstance || !(x.tombstone() || y.tombstone())) {
                return true;
            }
            return M.merge(x, y).value() == null && M.merge(y, x).value() == null;
        });
    }

    // ------------------------------------------------------------ the rules on concrete cases

    @Test
    void concurrentEditsOfDifferentLabelsBothSurviveAndTheSharedAnnotationHasOneWinnerAndAConflict() {
        DhtRecord base = write(null, obj("u1", "{\"app\":\"web\"}", "{\"note\":\"x\"}", 1, null), new FieldClocks.Stamp(10, "a"));
        ObjectNode atA = parse(base.value());
        ((ObjectNode) atA.get("metadata")).with("labels").put("tier", "front");
        ((ObjectNode) atA.get("metadata")).with("annotations").put("note", "from-a");
        DhtRecord a = write(base, atA, new FieldClocks.Stamp(20, "a"));
        ObjectNode atB = parse(base.value());
        ((ObjectNode) atB.get("metadata")).with("labels").put("zone", "z1");
        ((ObjectNode) atB.get("metadata")).with("annotations").put("note", "from-b");
        DhtRecord b = write(base, atB, new FieldClocks.Stamp(21, "b"));

        ValueMerge.Merged ab = M.merge(a, b);
        ValueMerge.Merged ba = M.merge(b, a);
        assertEquals(content(ab), content(ba));
        JsonNode merged = parse(ab.value());
        assertEquals("front", merged.at("/metadata/labels/tier").asText());
        assertEquals("z1", merged.at("/metadata/labels/zone").asText());
        assertEquals("web", merged.at("/metadata/labels/app").asText());
        assertEquals("from-b", merged.at("/metadata/annotations/note").asText(), "larger (hlc, site) wins");
        assertEquals(1, ab.conflicts().size());
        MergeConflict c = ab.conflicts().get(0);
        assertEquals("/metadata/annotations/note", c.path());
        assertEquals("\"from-a\"", c.losingValue());
        assertEquals("a", c.losingSite());
        assertEquals(List.of(c), ba.conflicts(), "both sites report the same conflict");
        assertEquals(c.id(), ba.conflicts().get(0).id());
        // an overwrite of something already seen is no conflict
        DhtRecord bSeenA = record(ab, 30, "b");
        ObjectNode later = parse(bSeenA.value());
        ((ObjectNode) later.get("metadata")).with("annotations").put("note", "b-again");
        DhtRecord b2 = write(bSeenA, later, new FieldClocks.Stamp(31, "b"));
        assertTrue(M.merge(a, b2).conflicts().isEmpty());
    }

    @Test
    void deleteBeatsAConcurrentEditButARecreateWithANewUidWins() {
        DhtRecord base = write(null, obj("u1", "{}", "{}", 1, null), new FieldClocks.Stamp(10, "a"));
        DhtRecord deleted = write(base, null, new FieldClocks.Stamp(20, "a"));
        ObjectNode edit = parse(base.value());
        edit.with("spec").put("replicas", 5);
        DhtRecord edited = write(base, edit, new FieldClocks.Stamp(25, "b"));
        assertNull(M.merge(edited, deleted).value(), "an edit after the delete (by clock) must not resurrect");
        assertNull(M.merge(deleted, edited).value());
        DhtRecord recreated = write(deleted, obj("u2", "{}", "{}", 3, null), new FieldClocks.Stamp(30, "a"));
        ValueMerge.Merged m = M.merge(edited, recreated);
        assertEquals("u2", parse(m.value()).at("/metadata/uid").asText());
        assertEquals(content(m), content(M.merge(recreated, edited)));
        // two concurrent creates: the later one wins whole, the same on both sides
        DhtRecord createA = write(null, obj("ua", "{\"x\":\"1\"}", "{}", 1, null), new FieldClocks.Stamp(40, "a"));
        DhtRecord createB = write(null, obj("ub", "{\"y\":\"1\"}", "{}", 1, null), new FieldClocks.Stamp(40, "b"));
        assertEquals("ub", parse(M.merge(createA, createB).value()).at("/metadata/uid").asText());
        assertEquals("ub", parse(M.merge(createB, createA).value()).at("/metadata/uid").asText());
    }

    @Test
    void opaqueValuesMergeLastWriterWins() {
        FieldClocks.Stamp s1 = new FieldClocks.Stamp(10, "b");
        FieldClocks.Stamp s2 = new FieldClocks.Stamp(10, "c");
        DhtRecord x = DhtRecord.unsigned("default//leases/ns", "n", new byte[] {1}, 10, WRITER, "b", 0,
                M.clocksForWrite(null, new byte[] {1}, s1));
        DhtRecord y = DhtRecord.unsigned("default//leases/ns", "n", new byte[] {2}, 10, WRITER, "c", 0,
                M.clocksForWrite(null, new byte[] {2}, s2));
        assertEquals(2, M.merge(x, y).value()[0]);
        assertEquals(2, M.merge(y, x).value()[0]);
        assertTrue(Objects.isNull(M.merge(x, x).conflicts()) || !M.merge(x, x).changed());
    }
}
