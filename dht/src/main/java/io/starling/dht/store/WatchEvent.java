package io.starling.dht.store;

/**
 * One change of a collection. {@code object} is the new state (for DELETED: the tombstone, whose
 * {@code previous} field carries the last live bytes so watchers can send the deleted object).
 */
public record WatchEvent(Type type, Versioned object, byte[] previous) {
    public enum Type { ADDED, MODIFIED, DELETED }
}
