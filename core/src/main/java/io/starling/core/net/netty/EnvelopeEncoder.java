package io.starling.core.net.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * {@link Envelope} -> frame body. A body over maxFrameBytes is refused here, so the write's
 * promise fails with a {@link CodecException} and the request fails at once instead of being
 * dropped by the receiver.
 */
public final class EnvelopeEncoder extends MessageToByteEncoder<Envelope> {
    private final KryoCodec codec;
    private final int maxFrameBytes;
    private final TransportStats stats;

    public EnvelopeEncoder(KryoCodec codec, int maxFrameBytes, TransportStats stats) {
        super(Envelope.class);
        this.codec = codec;
        this.maxFrameBytes = maxFrameBytes;
        this.stats = stats;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Envelope envelope, ByteBuf out) {
        byte[] bytes = codec.encode(envelope);
        if (bytes.length > maxFrameBytes) {
            stats.record(TransportStats.Kind.OVERSIZE_FRAME, "local encoder", null);
            throw new CodecException("frame of " + bytes.length + " bytes exceeds maxFrameBytes=" + maxFrameBytes, null);
        }
        out.writeBytes(bytes);
    }
}
