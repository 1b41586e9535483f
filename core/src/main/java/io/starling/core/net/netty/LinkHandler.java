package io.starling.core.net.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AttributeKey;
import io.starling.core.net.NodeId;
import java.security.cert.Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The thin adapter at the end of the pipeline: attaches the node id proven by the peer's TLS
 * certificate to each envelope and hands it to the transport (which posts it to the peer's event
 * loop). Also turns link-level failures into counters: an oversize frame is skipped, a failed
 * handshake or broken TLS closes only this link.
 */
final class LinkHandler extends SimpleChannelInboundHandler<Envelope> {
    /** The authenticated remote id; absent for links without a client certificate. */
    static final AttributeKey<NodeId> REMOTE_ID = AttributeKey.valueOf("starling.remoteId");
    private static final AttributeKey<Boolean> RESOLVED = AttributeKey.valueOf("starling.remoteResolved");

    interface Sink {
        /** Called on a Netty thread: must not block. {@code remote} is null without a client certificate. */
        void onEnvelope(Channel channel, NodeId remote, Envelope envelope);
    }

    private final PeerAuthenticator authenticator;
    private final TransportStats stats;
    private final Sink sink;

    LinkHandler(PeerAuthenticator authenticator, TransportStats stats, Sink sink) {
        super(Envelope.class);
        this.authenticator = authenticator;
        this.stats = stats;
        this.sink = sink;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Envelope envelope) {
        NodeId remote;
        try {
            remote = remoteId(ctx.channel(), authenticator);
        } catch (IllegalArgumentException e) {
            stats.record(TransportStats.Kind.FAILED_HANDSHAKE, ctx.channel().remoteAddress(), e);
            ctx.close();
            return;
        }
        sink.onEnvelope(ctx.channel(), remote, envelope);
    }

    /** The id the peer's verified certificate binds, or null when it presented none. */
    static NodeId remoteId(Channel ch, PeerAuthenticator authenticator) {
        if (Boolean.TRUE.equals(ch.attr(RESOLVED).get())) {
            return ch.attr(REMOTE_ID).get();
        }
        NodeId id = null;
        try {
            Certificate[] chain = ch.pipeline().get(SslHandler.class).engine().getSession().getPeerCertificates();
            id = authenticator.authenticate(chain);
        } catch (SSLPeerUnverifiedException e) {
            id = null; // no client certificate: only the join request is allowed
        }
        ch.attr(REMOTE_ID).set(id);
        ch.attr(RESOLVED).set(Boolean.TRUE);
        return id;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
        } else if (evt instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
            stats.record(TransportStats.Kind.FAILED_HANDSHAKE, ctx.channel().remoteAddress(), done.cause());
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            stats.record(TransportStats.Kind.OVERSIZE_FRAME, ctx.channel().remoteAddress(), cause);
            return; // the frame decoder skips the rest of that frame; the link stays usable
        }
        ctx.close(); // broken TLS or I/O error: TLS failures are counted by the handshake event
    }
}
