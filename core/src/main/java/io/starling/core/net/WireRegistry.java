package io.starling.core.net;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fixed table of classes that may cross the wire, each with a stable id. Every module that
 * defines messages registers them once at start-up (e.g. {@code DhtMessages.register(registry)}).
 * Ids are part of the wire format: never renumber, only append.
 */
public final class WireRegistry {
    private final Map<Integer, Class<?>> byId = new LinkedHashMap<>();
    private final Map<Class<?>, Integer> byClass = new LinkedHashMap<>();

    /** Registers a message class or a value class used inside messages. */
    public synchronized WireRegistry register(int id, Class<?> type) {
        if (id < 100) {
            throw new IllegalArgumentException("ids below 100 are reserved for the codec, got " + id);
        }
        Class<?> prev = byId.get(id);
        if (prev != null && prev != type) {
            throw new IllegalStateException("wire id " + id + " taken by " + prev.getName());
        }
        Integer prevId = byClass.get(type);
        if (prevId != null && prevId != id) {
            throw new IllegalStateException(type.getName() + " already registered as " + prevId);
        }
        byId.put(id, type);
        byClass.put(type, id);
        return this;
    }

    public synchronized Map<Integer, Class<?>> entries() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(byId));
    }
}
