package io.starling.core.sim;

import io.starling.core.net.Message;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Estimated wire size of a message, for overhead statistics: the simulation passes objects, not
 * bytes. {@link #RECORDS} walks record components (bytes, strings, numbers, nested records and
 * collections) and approximates a compact binary codec; {@link #FIXED} charges a constant.
 */
@FunctionalInterface
public interface SizeEstimator {
    long sizeOf(Message message);

    SizeEstimator FIXED = m -> 64;

    SizeEstimator RECORDS = new SizeEstimator() {
        private final Map<Class<?>, RecordComponent[]> components = new ConcurrentHashMap<>();

        @Override
        public long sizeOf(Message message) {
            return 4 + estimate(message, 0);
        }

        private long estimate(Object o, int depth) {
            if (o == null) {
                return 1;
            }
            if (depth > 16) {
                return 8;
            }
            if (o instanceof byte[] b) {
                return 4 + b.length;
            }
            if (o instanceof CharSequence s) {
                return 2 + s.length();
            }
            if (o instanceof Long || o instanceof Double) {
                return 8;
            }
            if (o instanceof Number || o instanceof Character) {
                return 4;
            }
            if (o instanceof Boolean || o instanceof Enum<?>) {
                return 1;
            }
            if (o instanceof io.starling.core.net.NodeId) {
                return io.starling.core.net.NodeId.BYTES;
            }
            if (o instanceof Collection<?> c) {
                long sum = 4;
                for (Object e : c) {
                    sum += estimate(e, depth + 1);
                }
                return sum;
            }
            if (o instanceof Map<?, ?> m) {
                long sum = 4;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    sum += estimate(e.getKey(), depth + 1) + estimate(e.getValue(), depth + 1);
                }
                return sum;
            }
            Class<?> type = o.getClass();
            if (type.isRecord()) {
                long sum = 0;
                for (RecordComponent rc : components.computeIfAbsent(type, Class::getRecordComponents)) {
                    try {
                        sum += estimate(rc.getAccessor().invoke(o), depth + 1);
                    } catch (ReflectiveOperationException e) {
                        sum += 8;
                    }
                }
                return sum;
            }
            return 16;
        }
    };
}
