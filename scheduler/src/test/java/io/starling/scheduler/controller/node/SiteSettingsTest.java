package io.starling.scheduler.controller.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SiteSettingsTest {
    @Test
    void durationsAsOperatorsWriteThem() {
        assertEquals(10_000, SiteSettings.parseMillis("10s"));
        assertEquals(10_000, SiteSettings.parseMillis("10"));
        assertEquals(800, SiteSettings.parseMillis("800ms"));
        assertEquals(90_000, SiteSettings.parseMillis("1m30s"));
        assertEquals(3_600_000, SiteSettings.parseMillis("1h"));
        assertEquals(5_000, SiteSettings.parseMillis(" 5S "));
    }

    @Test
    void anythingElseIsInvalid() {
        for (String bad : new String[] {"", "soon", "-5s", "5x", "s", "1.5s", "10s junk", "99999999999999999999s"}) {
            assertEquals(-1, SiteSettings.parseMillis(bad), bad);
        }
    }
}
