package io.starling.core.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JoinTokenTest {
    private final byte[] caHash = new byte[32];

    @Test
    void printedTokensParseBackAndNeverShowTheSecretInToString() {
        JoinToken t = JoinToken.generate(caHash);
        assertTrue(t.print().startsWith("stk1."));
        assertEquals(t, JoinToken.parse(t.print()));
        assertEquals(t, JoinToken.parse("  " + t.print().toUpperCase().replace("STK1", "stk1") + "\n"));
        assertFalse(t.toString().contains(t.secret()));
    }

    @Test
    void malformedTokensGiveOneLineErrorsWithoutEchoingInput() {
        for (String bad : new String[] {"", "stk1", "stk1.a.b.c", "stk2.00000000." + "0".repeat(32) + "." + "0".repeat(64),
            "stk1.0000000g." + "0".repeat(32) + "." + "0".repeat(64), "stk1.00000000." + "0".repeat(31) + "." + "0".repeat(64),
            "stk1.00000000." + "0".repeat(32) + "." + "0".repeat(64) + ".extra"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JoinToken.parse(bad));
            assertTrue(e.getMessage().startsWith("malformed join token"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
        assertEquals("join token is missing", assertThrows(IllegalArgumentException.class, () -> JoinToken.parse(null)).getMessage());
    }

    @Test
    void theServerKeepsOnlyAHashThatMatchesTheRightSecretOnly() {
        JoinToken t = JoinToken.generate(caHash);
        JoinTokenHash h = JoinTokenHash.decode(t.hash().encode());
        assertEquals(t.hash(), h);
        assertFalse(h.encode().contains(t.secret()));
        assertTrue(h.matches(t.tokenId(), t.secret()));
        assertFalse(h.matches(t.tokenId(), "0".repeat(32)));
        assertFalse(h.matches("ffffffff", t.secret()));
        assertFalse(h.matches(null, null));
        assertThrows(IllegalArgumentException.class, () -> JoinTokenHash.decode("nonsense"));
    }
}
