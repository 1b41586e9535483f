package io.starling.dht.store;

/**
 * A stored object as the store returns it.
 *
 * @param key which object
 * @param value the object's bytes (Kubernetes JSON for API objects); {@code null} for a tombstone
 * @param revision the write's hybrid-logical-clock timestamp; becomes the resourceVersion. Strictly
 *     increases with every write to the same object and, per collection, in the order a watcher of
 *     that collection sees events
 * @param homeSite the site whose super-peer accepted the write
 */
public record Versioned(ObjectKey key, byte[] value, long revision, String homeSite) {
    public boolean deleted() {
        return value == null;
    }
}
