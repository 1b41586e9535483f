package io.starling.benchmarks.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PssTest {

    @Test
    void readsThePssLineOfSmapsRollup() {
        String rollup = "55d0c0a5e000-7ffd5a1f2000 ---p 00000000 00:00 0                          [rollup]\n"
                + "Rss:               48212 kB\n"
                + "Pss:               41377 kB\n"
                + "Pss_Anon:          30112 kB\n"
                + "Shared_Clean:       9000 kB\n";
        assertEquals(OptionalLong.of(41377), Pss.parseRollupKiB(rollup));
        assertTrue(Pss.parseRollupKiB("Rss: 1 kB\n").isEmpty());
        assertTrue(Pss.parseRollupKiB("Pss: lots kB\n").isEmpty());
    }

    @Test
    void aProcessThatDoesNotExistHasNoMemory() {
        assertEquals(0, Pss.ofProcessKiB(Long.MAX_VALUE));
    }
}
