package io.starling.core.net.netty;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The shared pipeline of every peer link, one concern per handler:
 * TLS -> idle detection -> 4-byte length framing (maxFrameBytes) -> Kryo envelope codec -> tail
 * (the transport's {@link LinkHandler}, or the join client's handler).
 */
public final class PeerPipeline {
    static final int LENGTH_FIELD_BYTES = 4;

    private PeerPipeline() {}

    public static void configure(ChannelPipeline p, SslHandler ssl, long handshakeTimeoutMillis, long idleTimeoutMillis,
            int maxFrameBytes, KryoCodec codec, TransportStats stats) {
        ssl.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        p.addLast("tls", ssl);
        p.addLast("idle", new IdleStateHandler(0, 0, idleTimeoutMillis, TimeUnit.MILLISECONDS));
        addFraming(p, maxFrameBytes, codec, stats);
    }

    /** Framing and codec only (also what the EmbeddedChannel tests exercise). */
    public static void addFraming(ChannelPipeline p, int maxFrameBytes, KryoCodec codec, TransportStats stats) {
        // failFast: an oversize length is reported at once and the rest of that frame skipped,
        // so one bad frame does not cost the link.
        p.addLast("frameDecoder", new LengthFieldBasedFrameDecoder(
                maxFrameBytes, 0, LENGTH_FIELD_BYTES, 0, LENGTH_FIELD_BYTES, true));
        p.addLast("framePrepender", new LengthFieldPrepender(LENGTH_FIELD_BYTES));
        p.addLast("envelopeDecoder", new EnvelopeDecoder(codec, stats));
        p.addLast("envelopeEncoder", new EnvelopeEncoder(codec, maxFrameBytes, stats));
    }
}
