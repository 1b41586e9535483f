package io.starling.gateway.ipam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

class ServiceCidrTest {
    @Test
    void parsesAndRejectsWithReadableMessages() {
        ServiceCidr c = ServiceCidr.parse("127.96.0.0/16");
        assertEquals(65536, c.size());
        assertEquals("127.96.0.1", c.first());
        assertTrue(c.contains("127.96.255.254"));
        assertFalse(c.contains("127.97.0.1"));
        assertFalse(c.contains("127.96.0.256"));
        assertEquals(-1, c.offsetOf("10.96.0.1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServiceCidr.parse("127.96.0.1/16"))
                .getMessage().contains("use 127.96.0.0/16"));
        assertThrows(IllegalArgumentException.class, () -> ServiceCidr.parse("127.96.0.0"));
        assertThrows(IllegalArgumentException.class, () -> ServiceCidr.parse("fd00::/108"));
        assertThrows(IllegalArgumentException.class, () -> ServiceCidr.parse("127.96.0.0/30"));
    }

    @Test
    void reservedAddressesAreNeverCandidates() {
        ServiceCidr c = ServiceCidr.parse("127.96.0.0/24");
        assertFalse(c.usable(0));
        assertFalse(c.usable(1));
        assertFalse(c.usable(255));
        assertTrue(c.usable(2));
    }

    /** Attempts 0..size-1 are a permutation of the range, for any site and Service. */
    @Test
    void probeOrderVisitsEveryAddressOnce() {
        qt().withExamples(40).forAll(integers().between(18, 26), strings().basicLatinAlphabet().ofLengthBetween(1, 12),
                strings().basicLatinAlphabet().ofLengthBetween(1, 20)).check((prefix, site, key) -> {
                    ServiceCidr c = new ServiceCidr(ServiceCidr.parseIp("127.96.0.0") & (-1 << (32 - prefix)), prefix);
                    BitSet seen = new BitSet(c.size());
                    for (int a = 0; a < c.size(); a++) {
                        int o = c.candidate(site, key, a);
                        if (o < 0 || o >= c.size() || seen.get(o)) {
                            return false;
                        }
                        seen.set(o);
                    }
                    return seen.cardinality() == c.size();
                });
    }

    /** A site's first size/blocks candidates stay in its own block, so sites only meet when their blocks do. */
    @Test
    void aSiteStartsInItsOwnBlock() {
        ServiceCidr c = ServiceCidr.defaults();
        int blockSize = c.size() / c.blockCount();
        assertEquals(64, c.blockCount());
        int block = c.candidate("site-a", "default/web", 0) / blockSize;
        for (int a = 0; a < blockSize; a++) {
            assertEquals(block, c.candidate("site-a", "ns-" + (a % 7) + "/svc", a) / blockSize);
        }
    }
}
