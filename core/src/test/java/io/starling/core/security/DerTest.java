package io.starling.core.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;

import io.starling.core.identity.PeerIdentity;
import io.starling.core.random.SeededRandom;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Key encodings without an ASN.1 library: they must agree with the JDK's own, and bad input must not crash. */
class DerTest {
    @Test
    void identityKeysRoundTripThroughTheJdkEncodings() {
        qt().withExamples(20).forAll(integers().all()).checkAssert(seed -> {
            PeerIdentity id = PeerIdentity.deterministic(new SeededRandom(seed), 0);
            PrivateKey jdk = Keys.ed25519Private(id);
            assertEquals("EdDSA", jdk.getAlgorithm());
            assertEquals(id.nodeId(), Keys.identityFrom(jdk).nodeId());
            PublicKey pub = Keys.ed25519Public(id.publicKey());
            assertArrayEquals(id.publicKey(), Keys.ed25519Raw(pub));
            assertEquals(id.nodeId(), Keys.nodeIdOf(pub));
        });
    }

    @Test
    void jdkGeneratedEd25519KeysParse() throws Exception {
        var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertEquals(32, Der.ed25519FromPkcs8(pair.getPrivate().getEncoded()).length);
        assertEquals(32, Keys.ed25519Raw(pair.getPublic()).length);
        assertEquals("Ed25519", Pem.algorithmOf(pair.getPrivate().getEncoded()));
    }

    @Test
    void ecKeysAreRecognisedAndRefusedAsIdentities() {
        var ec = Keys.newEcP256();
        assertEquals("EC", Pem.algorithmOf(ec.getPrivate().getEncoded()));
        assertThrows(IllegalArgumentException.class, () -> Keys.ed25519Raw(ec.getPublic()));
        assertThrows(IllegalArgumentException.class, () -> Keys.identityFrom(ec.getPrivate()));
    }

    @Test
    void truncatedOrGarbageInputIsAClearErrorNeverAnotherException() {
        byte[] good = Der.ed25519Pkcs8(new byte[32]);
        qt().withExamples(300).forAll(integers().between(0, good.length - 1), arbitrary().pick(0, 1, 2))
                .checkAssert((cut, kind) -> {
                    byte[] bad = Arrays.copyOf(good, cut);
                    if (kind == 1 && cut > 0) {
                        bad[cut / 2] ^= 0x5a;
                    } else if (kind == 2) {
                        bad = Arrays.copyOf(good, good.length);
                        bad[1] = (byte) 0x84;
                    }
                    byte[] input = bad;
                    try {
                        Der.ed25519FromPkcs8(input);
                        Der.pkcs8AlgorithmOid(input);
                    } catch (IllegalArgumentException expected) {
                        // the only acceptable failure
                    }
                });
    }
}
