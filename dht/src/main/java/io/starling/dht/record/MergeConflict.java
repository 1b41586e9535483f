package io.starling.dht.record;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A write dropped by a cross-site merge: two sites changed the same field concurrently (neither
 * had seen the other's change) and {@code losingValue} lost to {@code winningValue}. Every site
 * that merges the two versions reports the same conflict (same {@link #id()}), so an Event named
 * after it is written once however many sites notice.
 *
 * @param collection collection path of the object
 * @param name object name
 * @param path field path (JSON pointer, e.g. {@code /metadata/annotations/owner}); "" = whole value
 * @param winningValue the surviving value (JSON text; null = absent)
 * @param losingValue the dropped value (JSON text; null = absent)
 * @param winningSite site whose write won
 * @param losingSite site whose write was dropped
 * @param losingStamp hybrid-logical-clock timestamp of the dropped write
 */
public record MergeConflict(String collection, String name, String path, String winningValue, String losingValue,
                            String winningSite, String losingSite, long losingStamp) {
    /** Deterministic id (hex, 16 chars) of this conflict: the same on every peer that detects it. */
    public String id() {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update((collection + "\n" + name + "\n" + path + "\n" + losingSite + "\n" + losingStamp)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
