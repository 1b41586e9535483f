package io.starling.core.net.netty;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.kryo.util.Pool;
import io.starling.core.net.Contact;
import io.starling.core.net.Message;
import io.starling.core.net.NodeId;
import io.starling.core.net.PeerAddress;
import io.starling.core.net.Piggyback;
import io.starling.core.net.WireRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * Encodes {@link Envelope}s to bytes and back with Kryo, registration required: a frame that names
 * a class outside the codec's built-ins and the {@link WireRegistry} is refused before anything is
 * instantiated.
 *
 * <p>Wire format of one frame body: version byte, kind byte, request id (8 bytes), sender flag +
 * host + port, piggyback length (varint, 0 = none) + bytes, on replies (RESPONSE, ERROR) only the
 * responder's hold time (unsigned varint, microseconds), then the payload (class id + Kryo data)
 * or the error text. A piggyback longer than {@link Piggyback#MAX_BYTES} is skipped (the message
 * still arrives). A frame of another version is refused whole: peers of one cluster run one wire
 * version. Ids 10..99 are the
 * codec's built-ins (Kryo itself uses 0..9 for primitives and String); ids from 100 come from the
 * registry. Thread-safe: Kryo instances are pooled, one per caller at a time.
 *
 * <p>Limits: element counts are checked against the frame size before allocation
 * ({@link BoundedInput}); object nesting is limited to {@link #MAX_DEPTH}.
 */
public final class KryoCodec {
    /** 2: piggyback bytes after the sender. 3: replies carry the responder's hold time. */
    static final byte VERSION = 3;
    static final int MAX_DEPTH = 64;
    private static final Envelope.Kind[] KINDS = Envelope.Kind.values();

    private final Map<Integer, Class<?>> registered;
    private final Pool<Kryo> pool;

    public KryoCodec(WireRegistry registry) {
        this.registered = registry.entries();
        this.pool = new Pool<>(true, false, 16) {
            @Override
            protected Kryo create() {
                return newKryo();
            }
        };
        pool.free(pool.obtain()); // fail fast on a bad registry
    }

    private Kryo newKryo() {
        Kryo kryo = new Kryo();
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        kryo.setMaxDepth(MAX_DEPTH);
        // Classes without a no-arg constructor can still be built, but only registered ones.
        kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
        registerBuiltins(kryo);
        for (Map.Entry<Integer, Class<?>> e : registered.entrySet()) {
            kryo.register(e.getValue(), e.getKey());
        }
        return kryo;
    }

    private static void registerBuiltins(Kryo kryo) {
        kryo.register(byte[].class, 10);
        kryo.register(int[].class, 11);
        kryo.register(long[].class, 12);
        kryo.register(double[].class, 13);
        kryo.register(boolean[].class, 14);
        kryo.register(String[].class, new WireSerializers.StringArraySerializer(), 15);
        kryo.register(Integer.class, 16);
        kryo.register(Long.class, 17);
        kryo.register(Double.class, 18);
        kryo.register(Boolean.class, 19);

        kryo.register(ArrayList.class, new WireSerializers.BoundedCollectionSerializer(), 20);
        kryo.register(HashSet.class, new WireSerializers.BoundedCollectionSerializer(), 21);
        kryo.register(LinkedHashSet.class, new WireSerializers.BoundedCollectionSerializer(), 22);
        kryo.register(TreeSet.class, new DefaultSerializers.TreeSetSerializer(), 23);
        kryo.register(HashMap.class, new WireSerializers.BoundedMapSerializer(), 24);
        kryo.register(LinkedHashMap.class, new WireSerializers.BoundedMapSerializer(), 25);
        kryo.register(TreeMap.class, new DefaultSerializers.TreeMapSerializer(), 26);
        WireSerializers.ImmutableListSerializer lists = new WireSerializers.ImmutableListSerializer();
        kryo.register(List.of().getClass(), lists, 27);
        kryo.register(List.of(1).getClass(), lists, 28);
        kryo.register(Arrays.asList(1).getClass(), lists, 29);
        kryo.register(Collections.emptyList().getClass(), lists, 30);
        kryo.register(Collections.singletonList(1).getClass(), lists, 31);
        kryo.register(List.of(1).subList(0, 1).getClass(), lists, 32);
        WireSerializers.ImmutableSetSerializer sets = new WireSerializers.ImmutableSetSerializer();
        kryo.register(Set.of().getClass(), sets, 33);
        kryo.register(Set.of(1).getClass(), sets, 34);
        kryo.register(Collections.emptySet().getClass(), sets, 35);
        WireSerializers.ImmutableMapSerializer maps = new WireSerializers.ImmutableMapSerializer();
        kryo.register(Map.of().getClass(), maps, 36);
        kryo.register(Map.of(1, 1).getClass(), maps, 37);
        kryo.register(Collections.emptyMap().getClass(), maps, 38);
        kryo.register(Collections.singleton(1).getClass(), sets, 39);
        kryo.register(Collections.singletonMap(1, 1).getClass(), maps, 40);
        kryo.register(Collections.unmodifiableList(new ArrayList<>()).getClass(),
                new WireSerializers.UnmodifiableViewSerializer(WireSerializers.UnmodifiableViewSerializer.Kind.LIST), 41);
        kryo.register(Collections.unmodifiableSet(new HashSet<>()).getClass(),
                new WireSerializers.UnmodifiableViewSerializer(WireSerializers.UnmodifiableViewSerializer.Kind.SET), 42);
        kryo.register(Collections.unmodifiableMap(new HashMap<>()).getClass(),
                new WireSerializers.UnmodifiableViewSerializer(WireSerializers.UnmodifiableViewSerializer.Kind.MAP), 43);

        kryo.register(NodeId.class, new WireSerializers.NodeIdSerializer(), 50);
        kryo.register(PeerAddress.class, 51);
        kryo.register(Contact.class, 52);
    }

    /** Encodes {@code envelope}; a payload whose class (or a field's class) is unregistered fails. */
    public byte[] encode(Envelope envelope) {
        Kryo kryo = pool.obtain();
        try (Output out = new Output(256, -1)) {
            out.writeByte(VERSION);
            out.writeByte(envelope.kind().ordinal());
            out.writeLong(envelope.requestId());
            PeerAddress sender = envelope.sender();
            out.writeBoolean(sender != null);
            if (sender != null) {
                out.writeString(sender.host());
                out.writeVarInt(sender.port(), true);
            }
            byte[] piggyback = envelope.piggyback();
            out.writeVarInt(piggyback == null ? 0 : piggyback.length, true);
            if (piggyback != null) {
                out.writeBytes(piggyback);
            }
            if (envelope.kind().isReply()) {
                out.writeVarLong(envelope.holdMicros(), true);
            }
            if (envelope.kind() == Envelope.Kind.ERROR) {
                out.writeString(envelope.error());
            } else {
                kryo.writeClassAndObject(out, envelope.payload());
            }
            return out.toBytes();
        } catch (RuntimeException | StackOverflowError e) {
            throw new CodecException("cannot encode " + describe(envelope) + ": " + e.getMessage(), e);
        } finally {
            pool.free(kryo);
        }
    }

    /** Decodes one frame body; anything malformed is a {@link CodecException}, never another throwable. */
    public Envelope decode(byte[] frame) {
        Kryo kryo = pool.obtain();
        try {
            BoundedInput in = new BoundedInput(frame);
            byte version = in.readByte();
            if (version != VERSION) {
                throw new CodecException("unknown wire version " + version, null);
            }
            int kind = in.readByte();
            if (kind < 0 || kind >= KINDS.length) {
                throw new CodecException("unknown envelope kind " + kind, null);
            }
            long requestId = in.readLong();
            PeerAddress sender = in.readBoolean() ? new PeerAddress(in.readString(), in.readVarInt(true)) : null;
            byte[] piggyback = readPiggyback(in);
            long holdMicros = KINDS[kind].isReply() ? in.readVarLong(true) : 0;
            if (holdMicros < 0) {
                throw new CodecException("negative hold time " + holdMicros, null);
            }
            Envelope envelope;
            if (KINDS[kind] == Envelope.Kind.ERROR) {
                envelope = new Envelope(requestId, Envelope.Kind.ERROR, sender, null, in.readString(), piggyback, holdMicros);
            } else {
                Object payload = kryo.readClassAndObject(in);
                if (!(payload instanceof Message message)) {
                    throw new CodecException("payload is not a message: "
                            + (payload == null ? "null" : payload.getClass().getName()), null);
                }
                envelope = new Envelope(requestId, KINDS[kind], sender, message, null, piggyback, holdMicros);
            }
            if (in.position() != in.limit()) {
                throw new CodecException((in.limit() - in.position()) + " trailing bytes after the message", null);
            }
            return envelope;
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw new CodecException("undecodable frame: " + e.getMessage(), e);
        } finally {
            // A failed read leaves Kryo mid-graph: drop that instance rather than reuse it.
            pool.free(kryo.getDepth() == 0 ? kryo : newKryo());
        }
    }

    /** The piggyback bytes, or null when absent or oversize (skipped: they must not cost the message). */
    private static byte[] readPiggyback(BoundedInput in) {
        int length = BoundedInput.check(in, in.readVarInt(true), 1);
        if (length == 0) {
            return null;
        }
        if (length > Piggyback.MAX_BYTES) {
            in.skip(length);
            return null;
        }
        return in.readBytes(length);
    }

    private static String describe(Envelope e) {
        return e.kind() + (e.payload() == null ? "" : " " + e.payload().getClass().getSimpleName());
    }
}
