package io.starling.dht.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import io.starling.core.identity.PeerIdentity;
import io.starling.core.random.SeededRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

class RecordMergePropertiesTest {
    static final List<PeerIdentity> WRITERS = List.of(
            PeerIdentity.deterministic(new SeededRandom(1), 0),
            PeerIdentity.deterministic(new SeededRandom(2), 0),
            PeerIdentity.deterministic(new SeededRandom(3), 0));

    /** Versions of one record with few distinct revisions, so ties and tombstones collide often. */
    static Gen<DhtRecord> versions() {
        return SourceDSL.integers().between(1, 6).zip(SourceDSL.integers().between(0, 2),
                SourceDSL.integers().between(0, 3), SourceDSL.integers().between(0, 1),
                (rev, w, v, ttl) -> {
                    PeerIdentity id = WRITERS.get(w);
                    byte[] value = v == 0 ? null : new byte[] {(byte) v.intValue()};
                    return DhtRecord.unsigned("default//pods/ns", "web", value, rev, id.nodeId(), "s" + w, ttl * 1000L)
                            .signedBy(id);
                });
    }

    @Test
    void mergeIsCommutative() {
        qt().forAll(versions(), versions()).check((a, b) -> RecordMerge.merge(a, b).equals(RecordMerge.merge(b, a)));
    }

    @Test
    void mergeIsAssociative() {
        qt().forAll(versions(), versions(), versions()).check((a, b, c) ->
                RecordMerge.merge(RecordMerge.merge(a, b), c).equals(RecordMerge.merge(a, RecordMerge.merge(b, c))));
    }

    @Test
    void mergeIsIdempotent() {
        qt().forAll(versions(), versions()).check((a, b) -> RecordMerge.merge(a, a).equals(a)
                && RecordMerge.merge(RecordMerge.merge(a, b), b).equals(RecordMerge.merge(a, b)));
    }

    @Test
    void tombstoneBeatsEveryOlderWriteWhateverTheOrder() {
        qt().forAll(versions(), SourceDSL.integers().between(1, 5), SourceDSL.integers().between(0, 2)).check((w, later, by) -> {
            PeerIdentity id = WRITERS.get(by);
            DhtRecord t = DhtRecord.unsigned(w.collection(), w.name(), null, w.revision() + later, id.nodeId(), "s", 0)
                    .signedBy(id);
            return RecordMerge.merge(w, t).equals(t) && RecordMerge.merge(t, w).equals(t)
                    && !RecordMerge.supersedes(w, t);
        });
    }

    @Test
    void tombstoneWinsAnExactTie() {
        PeerIdentity id = WRITERS.get(0);
        DhtRecord live = DhtRecord.unsigned("c", "n", new byte[] {1}, 7, id.nodeId(), "s", 0).signedBy(id);
        DhtRecord dead = DhtRecord.unsigned("c", "n", null, 7, id.nodeId(), "s", 0).signedBy(id);
        assertTrue(RecordMerge.merge(live, dead).tombstone());
        assertFalse(RecordMerge.supersedes(live, dead));
    }

    @Test
    void codecRoundTripsAndSignatureCoversEveryField() {
        qt().forAll(versions()).check(r -> {
            DhtRecord back = RecordCodec.decode(RecordCodec.encode(r));
            DhtRecord altered = new DhtRecord(r.collection(), r.name(), new byte[] {42}, r.revision(), r.writer(),
                    r.homeSite(), r.expiresAtMillis(), r.signerKey(), r.signature());
            DhtRecord bumped = new DhtRecord(r.collection(), r.name(), r.value(), r.revision() + 1, r.writer(),
                    r.homeSite(), r.expiresAtMillis(), r.signerKey(), r.signature());
            return back.equals(r) && back.verify() && !altered.verify() && !bumped.verify();
        });
    }

    @Test
    void unsignedOrForeignSignedRecordsDoNotVerify() {
        PeerIdentity a = WRITERS.get(0);
        PeerIdentity b = WRITERS.get(1);
        DhtRecord unsigned = DhtRecord.unsigned("c", "n", new byte[] {1}, 3, a.nodeId(), "s", 0);
        assertFalse(unsigned.verify());
        DhtRecord byB = DhtRecord.unsigned("c", "n", new byte[] {1}, 3, b.nodeId(), "s", 0).signedBy(b);
        // claims writer a but carries b's key and signature
        DhtRecord forged = new DhtRecord("c", "n", new byte[] {1}, 3, a.nodeId(), "s", 0, byB.signerKey(), byB.signature());
        assertFalse(forged.verify());
        assertThrows(IllegalArgumentException.class, () -> unsigned.signedBy(b));
    }

    @Test
    void garbageBytesAreAClearErrorNotACrash() {
        qt().forAll(SourceDSL.integers().between(0, 64), SourceDSL.longs().all()).check((n, seed) -> {
            byte[] junk = new byte[n];
            new SeededRandom(seed).nextBytes(junk);
            try {
                RecordCodec.decode(junk);
                return true; // astronomically unlikely to decode, but not an error if it does
            } catch (IllegalArgumentException expected) {
                return true;
            }
        });
        assertEquals(0, 0);
    }
}
