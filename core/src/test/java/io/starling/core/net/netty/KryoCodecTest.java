package io.starling.core.net.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.starling.core.net.Contact;
import io.starling.core.net.NodeId;
import io.starling.core.net.PeerAddress;
import io.starling.core.net.netty.TestMessages.Color;
import io.starling.core.net.netty.TestMessages.Ping;
import io.starling.core.net.netty.TestMessages.Rich;
import io.starling.core.net.netty.TestMessages.Secret;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class KryoCodecTest {
    private static final PeerAddress ME = new PeerAddress("127.0.0.1", 7000);
    private final KryoCodec codec = new KryoCodec(TestMessages.registry());

    @Test
    void recordsWithNestedValuesRoundTrip() {
        NodeId id = NodeId.fromHex("00112233445566778899aabbccddeeff00112233");
        Map<String, Long> counts = new TreeMap<>(Map.of("a", 1L, "b", 2L));
        Rich rich = new Rich(id, List.of("x", "y"), counts, new long[] {3, -4}, Color.GREEN, new Ping("inner"));
        Envelope back = codec.decode(codec.encode(Envelope.request(42, ME, rich)));
        assertEquals(42, back.requestId());
        assertEquals(Envelope.Kind.REQUEST, back.kind());
        assertEquals(ME, back.sender());
        Rich r = (Rich) back.payload();
        assertEquals(id, r.id());
        assertEquals(List.of("x", "y"), r.names());
        assertEquals(counts, r.counts());
        assertArrayEquals(new long[] {3, -4}, r.values());
        assertEquals(Color.GREEN, r.color());
        assertEquals(new Ping("inner"), r.inner());
        assertThrows(UnsupportedOperationException.class, () -> r.names().add("z"), "List.of stays immutable");
    }

    @Test
    void mutableCollectionsAndErrorsRoundTrip() {
        Rich rich = new Rich(NodeId.of(new byte[20]), new ArrayList<>(List.of("a")), new LinkedHashMap<>(Map.of("k", 9L)),
                new long[0], Color.RED, new Ping(""));
        assertEquals(List.of("a"), ((Rich) codec.decode(codec.encode(Envelope.oneWay(null, rich))).payload()).names());
        Envelope err = codec.decode(codec.encode(Envelope.error(7, ME, "boom", 12)));
        assertEquals("boom", err.error());
        assertEquals(Envelope.Kind.ERROR, err.kind());
    }

    @Test
    void repliesCarryTheResponderHoldTimeAndOtherKindsCarryNone() {
        assertEquals(300_000, codec.decode(codec.encode(Envelope.response(3, ME, new Ping("p"), 300_000))).holdMicros());
        assertEquals(0, codec.decode(codec.encode(Envelope.response(3, ME, new Ping("p"), 0))).holdMicros());
        assertEquals(Long.MAX_VALUE, codec.decode(codec.encode(Envelope.error(3, ME, "e", Long.MAX_VALUE))).holdMicros());
        assertEquals(0, codec.decode(codec.encode(Envelope.request(3, ME, new Ping("p")))).holdMicros());
        assertThrows(IllegalArgumentException.class, () -> new Envelope(1, Envelope.Kind.REQUEST, ME, new Ping("p"), null, null, 5));
        assertThrows(IllegalArgumentException.class, () -> Envelope.response(1, ME, new Ping("p"), -1));
    }

    @Test
    void framesOfOtherWireVersionsAreRefusedWithAClearError() {
        byte[] reply = codec.encode(Envelope.response(9, ME, new Ping("p"), 1_000));
        for (byte version : new byte[] {1, 2, KryoCodec.VERSION + 1, -1}) {
            byte[] old = reply.clone();
            old[0] = version;
            CodecException e = assertThrows(CodecException.class, () -> codec.decode(old));
            assertTrue(e.getMessage().contains("wire version " + version), e.getMessage());
        }
    }

    @Test
    void aNegativeHoldTimeOnTheWireIsRefused() {
        // version, kind RESPONSE, id, no sender, no piggyback, hold = 9-byte varint of -1, payload Ping("")
        byte[] frame = {KryoCodec.VERSION, 1, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0,
                (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        CodecException e = assertThrows(CodecException.class, () -> codec.decode(frame));
        assertTrue(e.getMessage().contains("negative hold time"), e.getMessage());
    }

    @Test
    void commonJdkCollectionKindsRoundTripKeepingOrder() {
        record Bag(List<?> list, java.util.Set<?> set, Map<?, ?> map) implements io.starling.core.net.Message {}
        KryoCodec c = new KryoCodec(new io.starling.core.net.WireRegistry().register(100, Bag.class));
        Map<Object, Object> ordered = new LinkedHashMap<>();
        ordered.put("z", 1L);
        ordered.put("a", 2L);
        java.util.Set<Object> orderedSet = new java.util.LinkedHashSet<>(List.of("z", "a", "m"));
        List<Bag> bags = List.of(
                new Bag(java.util.stream.Stream.of("x", null).toList(), java.util.Set.of(), Map.of()),
                new Bag(java.util.Collections.unmodifiableList(new ArrayList<>(List.of("b", "a"))),
                        java.util.Collections.unmodifiableSet(orderedSet), java.util.Collections.unmodifiableMap(ordered)),
                new Bag(java.util.Collections.singletonList(1), java.util.Collections.singleton(2),
                        java.util.Collections.singletonMap(3, 4)),
                new Bag(java.util.Arrays.asList(1, 2), new java.util.TreeSet<>(List.of(3, 1)), new TreeMap<>(Map.of(2, 1, 1, 2))));
        for (Bag bag : bags) {
            Bag back = (Bag) c.decode(c.encode(Envelope.oneWay(ME, bag))).payload();
            assertEquals(bag.list(), back.list());
            assertEquals(bag.set(), back.set());
            assertEquals(bag.map(), back.map());
            assertEquals(new ArrayList<>(bag.set()), new ArrayList<>(back.set()), "set order kept");
            assertEquals(new ArrayList<>(bag.map().keySet()), new ArrayList<>(back.map().keySet()), "map order kept");
        }
    }

    @Test
    void coreTypesAreBuiltIn() {
        record Hello(Contact contact) implements io.starling.core.net.Message {}
        KryoCodec c = new KryoCodec(new io.starling.core.net.WireRegistry().register(100, Hello.class));
        Contact contact = new Contact(NodeId.of(new byte[20]), ME, "s1", true);
        assertEquals(new Hello(contact), c.decode(c.encode(Envelope.oneWay(ME, new Hello(contact)))).payload());
    }

    @Test
    void unregisteredClassesAreRefusedOnEncode() {
        CodecException e = assertThrows(CodecException.class, () -> codec.encode(Envelope.oneWay(ME, new Secret("x"))));
        assertTrue(e.getMessage().contains("Secret"), e.getMessage());
    }

    @Test
    void aFrameNamingAnUnregisteredClassIsRefusedOnDecode() {
        KryoCodec sender = new KryoCodec(TestMessages.registry().register(9100, Secret.class));
        byte[] frame = sender.encode(Envelope.oneWay(ME, new Secret("x")));
        CodecException e = assertThrows(CodecException.class, () -> codec.decode(frame));
        assertTrue(e.getMessage().toLowerCase().contains("unregistered"), e.getMessage());
    }

    @Test
    void everyTruncationOfAValidFrameIsACleanError() {
        byte[] frame = codec.encode(Envelope.request(1, ME, new Ping("hello there")));
        for (int len = 0; len < frame.length; len++) {
            byte[] cut = java.util.Arrays.copyOf(frame, len);
            assertThrows(CodecException.class, () -> codec.decode(cut), "length " + len);
        }
    }

    @Test
    void hugeCountsInATinyFrameAreRefusedBeforeAllocating() {
        // version, kind ONE_WAY, id, no sender, no piggyback, class id of byte[] (10 -> varint 11), length 2^31-1
        byte v = KryoCodec.VERSION;
        byte[] frame = {v, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07};
        CodecException e = assertThrows(CodecException.class, () -> codec.decode(frame));
        assertFalse(e.getMessage().contains("version"), "refused for its count, not its version: " + e.getMessage());
        byte[] list = {v, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 21, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07};
        e = assertThrows(CodecException.class, () -> codec.decode(list));
        assertFalse(e.getMessage().contains("version"), "refused for its count, not its version: " + e.getMessage());
    }

    @Test
    void randomBytesNeverEscapeAsAnythingButCodecException() {
        qt().withExamples(3000).forAll(lists().of(integers().between(-128, 127)).ofSizeBetween(0, 64))
                .checkAssert(ints -> {
                    byte[] b = new byte[ints.size()];
                    for (int i = 0; i < b.length; i++) {
                        b[i] = ints.get(i).byteValue();
                    }
                    if (b.length > 1) {
                        b[0] = KryoCodec.VERSION; // valid version, so the decoder gets past the first byte
                    }
                    try {
                        codec.decode(b);
                    } catch (CodecException expected) {
                        // fine: dropped and counted by the pipeline
                    }
                });
    }

    @Test
    void mutatedValidFramesNeverEscapeAsAnythingButCodecException() {
        byte[] frame = codec.encode(Envelope.request(5, ME, new Rich(NodeId.of(new byte[20]), List.of("a", "b"),
                Map.of("k", 1L), new long[] {1, 2}, Color.RED, new Ping("p"))));
        qt().withExamples(3000).forAll(integers().between(0, frame.length - 1), arbitrary().pick(List.of(0x00, 0x7f, 0x80, 0xff, 0x01)))
                .checkAssert((pos, val) -> {
                    byte[] m = frame.clone();
                    m[pos] = (byte) (int) val;
                    try {
                        codec.decode(m);
                    } catch (CodecException expected) {
                        // fine
                    }
                });
    }
}
