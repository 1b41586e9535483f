package io.starling.cli.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DataDirTest {

    @Test
    void savedSettingsReadBackAsTheSameProperties() {
        qt().forAll(strings().allPossible().ofLengthBetween(0, 12), strings().allPossible().ofLengthBetween(0, 12),
                strings().basicLatinAlphabet().ofLengthBetween(0, 30)).check((key, value, other) -> {
            Properties p = new Properties();
            p.setProperty(key, value);
            p.setProperty("z" + key, other);
            return load(DataDir.propertiesText(p, "comment")).equals(p);
        });
    }

    @Test
    void keysAreWrittenSortedWithoutADateLine() {
        Properties p = new Properties();
        p.setProperty("site", "a");
        p.setProperty("listen", "127.0.0.1:7100");
        p.setProperty("bootstrap", "");
        String text = DataDir.propertiesText(p, "settings");
        assertEquals("#settings\nbootstrap=\nlisten=127.0.0.1\\:7100\nsite=a\n", text);
        assertFalse(text.contains("UTC"));
    }

    private static Properties load(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
