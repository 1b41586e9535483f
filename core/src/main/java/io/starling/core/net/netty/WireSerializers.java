package io.starling.core.net.netty;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import io.starling.core.net.NodeId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Kryo serializers for the codec's built-in types; every reader checks counts against the frame. */
final class WireSerializers {
    private WireSerializers() {}

    /** Node ids are exactly 20 bytes; anything else is garbage. */
    static final class NodeIdSerializer extends Serializer<NodeId> {
        NodeIdSerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, NodeId id) {
            output.writeBytes(id.toBytes());
        }

        @Override
        public NodeId read(Kryo kryo, Input input, Class<? extends NodeId> type) {
            return NodeId.of(input.readBytes(NodeId.BYTES));
        }
    }

    static final class StringArraySerializer extends Serializer<String[]> {
        @Override
        public void write(Kryo kryo, Output output, String[] array) {
            output.writeVarInt(array.length, true);
            for (String s : array) {
                output.writeString(s);
            }
        }

        @Override
        public String[] read(Kryo kryo, Input input, Class<? extends String[]> type) {
            String[] array = new String[BoundedInput.check(input, input.readVarInt(true), 1)];
            for (int i = 0; i < array.length; i++) {
                array[i] = input.readString();
            }
            return array;
        }
    }

    /** ArrayList, HashSet, ... with the element count checked before the collection is sized. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static final class BoundedCollectionSerializer extends CollectionSerializer {
        @Override
        protected Collection create(Kryo kryo, Input input, Class type, int size) {
            return super.create(kryo, input, type, BoundedInput.check(input, size, 1));
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    static final class BoundedMapSerializer extends MapSerializer {
        @Override
        protected Map create(Kryo kryo, Input input, Class type, int size) {
            return super.create(kryo, input, type, BoundedInput.check(input, size, 2));
        }
    }

    /** The JDK's List.of / Set.of / Map.of classes: read back as the same immutable kind. */
    static final class ImmutableListSerializer extends Serializer<List<Object>> {
        ImmutableListSerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, List<Object> list) {
            writeElements(kryo, output, list);
        }

        @Override
        public List<Object> read(Kryo kryo, Input input, Class<? extends List<Object>> type) {
            List<Object> elements = readElements(kryo, input);
            // Stream.toList() lists may hold nulls, which List.copyOf refuses.
            return elements.contains(null) ? Collections.unmodifiableList(elements) : List.copyOf(elements);
        }
    }

    static final class ImmutableSetSerializer extends Serializer<Set<Object>> {
        ImmutableSetSerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, Set<Object> set) {
            writeElements(kryo, output, set);
        }

        @Override
        public Set<Object> read(Kryo kryo, Input input, Class<? extends Set<Object>> type) {
            List<Object> elements = readElements(kryo, input);
            Set<Object> result = Set.copyOf(elements);
            if (result.size() != elements.size()) {
                throw new KryoException("duplicate set elements");
            }
            return result;
        }
    }

    static final class ImmutableMapSerializer extends Serializer<Map<Object, Object>> {
        ImmutableMapSerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, Map<Object, Object> map) {
            output.writeVarInt(map.size(), true);
            for (Map.Entry<Object, Object> e : map.entrySet()) {
                kryo.writeClassAndObject(output, e.getKey());
                kryo.writeClassAndObject(output, e.getValue());
            }
        }

        @Override
        public Map<Object, Object> read(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type) {
            int n = BoundedInput.check(input, input.readVarInt(true), 2);
            Map<Object, Object> map = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                map.put(kryo.readClassAndObject(input), kryo.readClassAndObject(input));
            }
            if (map.size() != n) {
                throw new KryoException("duplicate map keys");
            }
            return Map.copyOf(map);
        }
    }

    /**
     * Collections.unmodifiableList/Set/Map views: read back as unmodifiable views over ArrayList,
     * LinkedHashSet or LinkedHashMap, so the sender's iteration order survives.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static final class UnmodifiableViewSerializer extends Serializer<Object> {
        enum Kind { LIST, SET, MAP }

        private final Kind kind;

        UnmodifiableViewSerializer(Kind kind) {
            this.kind = kind;
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, Object object) {
            if (kind == Kind.MAP) {
                Map<Object, Object> map = (Map<Object, Object>) object;
                output.writeVarInt(map.size(), true);
                for (Map.Entry<Object, Object> e : map.entrySet()) {
                    kryo.writeClassAndObject(output, e.getKey());
                    kryo.writeClassAndObject(output, e.getValue());
                }
            } else {
                writeElements(kryo, output, (Collection<Object>) object);
            }
        }

        @Override
        public Object read(Kryo kryo, Input input, Class type) {
            switch (kind) {
                case LIST:
                    return Collections.unmodifiableList(readElements(kryo, input));
                case SET:
                    return Collections.unmodifiableSet(new LinkedHashSet<>(readElements(kryo, input)));
                default:
                    int n = BoundedInput.check(input, input.readVarInt(true), 2);
                    Map<Object, Object> map = new LinkedHashMap<>();
                    for (int i = 0; i < n; i++) {
                        map.put(kryo.readClassAndObject(input), kryo.readClassAndObject(input));
                    }
                    return Collections.unmodifiableMap(map);
            }
        }
    }

    private static void writeElements(Kryo kryo, Output output, Collection<Object> elements) {
        output.writeVarInt(elements.size(), true);
        for (Object o : elements) {
            kryo.writeClassAndObject(output, o);
        }
    }

    private static List<Object> readElements(Kryo kryo, Input input) {
        int n = BoundedInput.check(input, input.readVarInt(true), 1);
        List<Object> elements = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            elements.add(kryo.readClassAndObject(input));
        }
        return elements;
    }
}
