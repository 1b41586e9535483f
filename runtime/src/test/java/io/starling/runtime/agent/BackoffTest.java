package io.starling.runtime.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff kubelet = new Backoff(10_000, 300_000, 600_000);

    @Test
    void doublesFromTenSecondsToFiveMinutes() {
        assertEquals(10_000, kubelet.delayMillis(0, 0));
        assertEquals(20_000, kubelet.delayMillis(1, 0));
        assertEquals(40_000, kubelet.delayMillis(2, 0));
        assertEquals(160_000, kubelet.delayMillis(4, 0));
        assertEquals(300_000, kubelet.delayMillis(5, 0));
        assertEquals(300_000, kubelet.delayMillis(1000, 0));
    }

    @Test
    void aLongRunResetsTheBackoff() {
        assertEquals(10_000, kubelet.delayMillis(7, 600_000));
    }
}
