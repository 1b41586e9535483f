package io.starling.core.net.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/**
 * Frame body -> {@link Envelope}. Copies the bytes out (the frame is released by the base class),
 * so nothing downstream holds a ByteBuf. An undecodable frame is dropped and counted; the link
 * stays open, since framing is intact.
 */
public final class EnvelopeDecoder extends MessageToMessageDecoder<ByteBuf> {
    private final KryoCodec codec;
    private final TransportStats stats;

    public EnvelopeDecoder(KryoCodec codec, TransportStats stats) {
        super(ByteBuf.class);
        this.codec = codec;
        this.stats = stats;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        byte[] bytes = ByteBufUtil.getBytes(frame);
        try {
            out.add(codec.decode(bytes));
        } catch (CodecException e) {
            stats.record(TransportStats.Kind.UNDECODABLE_FRAME, ctx.channel().remoteAddress(), e);
        }
    }
}
