package io.starling.core.net.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.starling.core.net.PeerAddress;
import io.starling.core.net.netty.TestMessages.Blob;
import io.starling.core.net.netty.TestMessages.Ping;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The framing + codec handlers on an EmbeddedChannel: partial input, garbage, oversize, no leaks. */
class FramingPipelineTest {
    private static final int MAX_FRAME_BYTES = 1024;
    private static final PeerAddress ME = new PeerAddress("127.0.0.1", 1);
    private final KryoCodec codec = new KryoCodec(TestMessages.registry());
    private final TransportStats stats = new TransportStats();
    private final List<Throwable> errors = new ArrayList<>();
    private final List<ByteBuf> fed = new ArrayList<>();
    private final EmbeddedChannel ch = new EmbeddedChannel();

    FramingPipelineTest() {
        PeerPipeline.addFraming(ch.pipeline(), MAX_FRAME_BYTES, codec, stats);
        ch.pipeline().addLast(new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(io.netty.channel.ChannelHandlerContext ctx, Throwable cause) {
                errors.add(cause);
            }
        });
    }

    @AfterEach
    void noLeaks() {
        ch.finishAndReleaseAll();
        for (ByteBuf b : fed) {
            assertEquals(0, b.refCnt(), "every inbound buffer is released");
        }
    }

    private ByteBuf frame(byte[] body) {
        ByteBuf b = Unpooled.buffer();
        b.writeInt(body.length);
        b.writeBytes(body);
        return b;
    }

    private void feed(ByteBuf b) {
        fed.add(b);
        ch.writeInbound(b);
    }

    @Test
    void halfAFrameWaitsForTheRest() {
        ByteBuf whole = frame(codec.encode(Envelope.request(3, ME, new Ping("split me"))));
        ByteBuf first = whole.readRetainedSlice(7);
        ByteBuf rest = whole.readRetainedSlice(whole.readableBytes());
        whole.release();
        feed(first);
        assertNull(ch.readInbound(), "nothing decoded from half a frame");
        feed(rest);
        Envelope e = ch.readInbound();
        assertEquals(new Ping("split me"), e.payload());
        assertEquals(3, e.requestId());
    }

    @Test
    void garbageFrameIsDroppedAndCountedAndTheNextFrameStillDecodes() {
        feed(frame(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}));
        feed(frame(codec.encode(Envelope.oneWay(ME, new Ping("after")))));
        Envelope e = ch.readInbound();
        assertEquals(new Ping("after"), e.payload());
        assertNull(ch.readInbound());
        assertEquals(1, stats.count(TransportStats.Kind.UNDECODABLE_FRAME));
        assertTrue(ch.isActive(), "link survives a garbage frame");
    }

    @Test
    void oversizeFrameIsSkippedAndTheLinkStaysUsable() {
        ByteBuf big = Unpooled.buffer();
        big.writeInt(MAX_FRAME_BYTES + 500);
        big.writeZero(MAX_FRAME_BYTES + 500);
        feed(big);
        feed(frame(codec.encode(Envelope.oneWay(ME, new Ping("next")))));
        assertTrue(errors.stream().anyMatch(t -> t instanceof TooLongFrameException), "oversize reported");
        Envelope e = ch.readInbound();
        assertEquals(new Ping("next"), e.payload());
    }

    @Test
    void encoderFramesMessagesAndRefusesOversizeOnes() {
        assertTrue(ch.writeOutbound(Envelope.oneWay(ME, new Ping("out"))));
        ByteBuf out = Unpooled.buffer();
        for (ByteBuf part; (part = ch.readOutbound()) != null; ) {
            out.writeBytes(part);
            part.release();
        }
        try {
            int len = out.readInt();
            assertEquals(len, out.readableBytes());
            byte[] body = new byte[len];
            out.readBytes(body);
            assertEquals(new Ping("out"), codec.decode(body).payload());
        } finally {
            out.release();
        }
        ChannelFuture f = ch.writeOneOutbound(Envelope.oneWay(ME, new Blob(new byte[MAX_FRAME_BYTES * 2])));
        ch.flushOutbound();
        assertFalse(f.isSuccess());
        assertTrue(NettyTransport.describe(f.cause()).contains("maxFrameBytes"), NettyTransport.describe(f.cause()));
        assertNull(ch.readOutbound(), "nothing written for the oversize message");
        assertEquals(1, stats.count(TransportStats.Kind.OVERSIZE_FRAME));
    }
}
