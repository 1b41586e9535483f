package io.starling.dht.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.starling.core.identity.PeerIdentity;
import io.starling.core.random.SeededRandom;
import io.starling.dht.record.DhtRecord;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The simulation's record signatures are checked like Ed25519 ones: forged or altered records fail. */
class DigestRecordSignaturesTest {
    static final DigestRecordSignatures S = DigestRecordSignatures.INSTANCE;
    final PeerIdentity writer = PeerIdentity.deterministic(new SeededRandom(7).derive("w"), 0);
    final PeerIdentity other = PeerIdentity.deterministic(new SeededRandom(7).derive("o"), 0);

    DhtRecord unsigned(String value) {
        return DhtRecord.unsigned("default/apps/deployments/shop", "web", value.getBytes(StandardCharsets.UTF_8), 42,
                writer.nodeId(), "a", 0);
    }

    @Test
    void signedRecordsVerifyAndSigningIsDeterministic() {
        DhtRecord r = S.sign(unsigned("{\"spec\":{\"replicas\":3}}"), writer);
        assertTrue(S.verify(r));
        assertArrayEquals(r.signature(), S.sign(unsigned("{\"spec\":{\"replicas\":3}}"), writer).signature());
    }

    @Test
    void alteredUnsignedOrForeignRecordsFail() {
        DhtRecord r = S.sign(unsigned("{\"spec\":{\"replicas\":3}}"), writer);
        DhtRecord altered = new DhtRecord(r.collection(), r.name(), "{\"spec\":{\"replicas\":4}}".getBytes(StandardCharsets.UTF_8),
                r.revision(), r.writer(), r.homeSite(), r.expiresAtMillis(), r.signerKey(), r.signature(), r.clocks());
        DhtRecord laterRevision = new DhtRecord(r.collection(), r.name(), r.value(), r.revision() + 1, r.writer(), r.homeSite(),
                r.expiresAtMillis(), r.signerKey(), r.signature(), r.clocks());
        DhtRecord foreignKey = new DhtRecord(r.collection(), r.name(), r.value(), r.revision(), r.writer(), r.homeSite(),
                r.expiresAtMillis(), other.publicKey(), r.signature(), r.clocks());
        assertFalse(S.verify(altered));
        assertFalse(S.verify(laterRevision));
        assertFalse(S.verify(foreignKey));
        assertFalse(S.verify(unsigned("{}")));
        // the same bytes as a signed record but a different object still verify: the memo only saves work
        assertTrue(S.verify(new DhtRecord(r.collection(), r.name(), r.value().clone(), r.revision(), r.writer(), r.homeSite(),
                r.expiresAtMillis(), r.signerKey(), r.signature().clone(), r.clocks())));
    }
}
