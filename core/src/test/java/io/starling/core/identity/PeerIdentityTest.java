package io.starling.core.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.starling.core.random.SeededRandom;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PeerIdentityTest {
    @Test
    void signaturesVerifyOnlyForTheSignedBytesAndKey() {
        PeerIdentity a = PeerIdentity.generate(4);
        PeerIdentity b = PeerIdentity.generate(4);
        byte[] data = "record".getBytes(StandardCharsets.UTF_8);
        byte[] sig = a.sign(data);
        assertTrue(PeerIdentity.verify(a.publicKey(), data, sig));
        assertFalse(PeerIdentity.verify(b.publicKey(), data, sig));
        assertFalse(PeerIdentity.verify(a.publicKey(), "recorD".getBytes(StandardCharsets.UTF_8), sig));
        assertFalse(PeerIdentity.verify(a.publicKey(), data, new byte[3]));
    }

    @Test
    void nodeIdIsDerivedFromThePublicKeyAndSolvesThePuzzle() {
        PeerIdentity id = PeerIdentity.generate(8);
        assertEquals(PeerIdentity.nodeIdOf(id.publicKey()), id.nodeId());
        assertTrue(PeerIdentity.satisfiesPuzzle(id.publicKey(), 8));
    }

    @Test
    void deterministicIdentitiesRepeatForTheSameSeed() {
        PeerIdentity x = PeerIdentity.deterministic(new SeededRandom(42), 4);
        PeerIdentity y = PeerIdentity.deterministic(new SeededRandom(42), 4);
        PeerIdentity z = PeerIdentity.deterministic(new SeededRandom(43), 4);
        assertEquals(x.nodeId(), y.nodeId());
        assertFalse(x.nodeId().equals(z.nodeId()));
        assertEquals(x.nodeId(), PeerIdentity.fromPrivateKey(x.privateKeyBytes()).nodeId());
    }
}
