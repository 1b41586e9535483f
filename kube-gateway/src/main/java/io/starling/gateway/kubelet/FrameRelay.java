package io.starling.gateway.kubelet;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One direction of an exec relay between two WebSocket channels (kubectl <-> gateway <-> node
 * agent): data frames (binary, text, continuation) are passed on unchanged, so the remote-command
 * framing is the endpoints' business; pings are answered on each hop. Back-pressure: while the
 * peer is not writable this side stops reading, and the peer's handler resumes it once the peer
 * drained ({@link #channelWritabilityChanged}). A close on either side closes both, normally
 * (close frames both ways).
 *
 * <p>The handler on the agent's side also watches for the error channel ({@link
 * ExecStatus#ERROR_CHANNEL}): if the agent's connection ends without one, the client gets a
 * Failure status instead of a silent success.
 */
public final class FrameRelay extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = Logger.getLogger(FrameRelay.class.getName());
    /** How long a side that was sent a close frame has to answer before its connection is closed. */
    static final long CLOSE_WAIT_MILLIS = 2_000;

    private final boolean fromAgent;
    private final ArrayDeque<WebSocketFrame> pending = new ArrayDeque<>();
    private Channel self;
    private Channel peer;
    private boolean sawStatus;
    private boolean closeSent;

    /** @param fromAgent whether this handler reads the node agent's side (frames go to the client) */
    public FrameRelay(boolean fromAgent) {
        this.fromAgent = fromAgent;
    }

    /** Links this side to its peer; frames that arrived before are sent now. Call on the event loop. */
    public void attach(Channel peer) {
        this.peer = peer;
        while (!pending.isEmpty()) {
            forward(pending.poll());
        }
        if (self != null && !self.isActive()) {
            endPeer();
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        self = ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof PingWebSocketFrame ping) {
            ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            ping.release();
        } else if (msg instanceof CloseWebSocketFrame close) {
            close.release();
            if (closeSent) {
                self.close();
            } else {
                closeSent = true;
                self.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE)).addListener(ChannelFutureListener.CLOSE);
            }
            endPeer();
        } else if (msg instanceof BinaryWebSocketFrame || msg instanceof ContinuationWebSocketFrame
                || msg instanceof TextWebSocketFrame) {
            WebSocketFrame f = (WebSocketFrame) msg;
            if (closeSent) {
                f.release();
                return;
            }
            if (fromAgent && f instanceof BinaryWebSocketFrame && f.content().isReadable()
                    && f.content().getUnsignedByte(f.content().readerIndex()) == ExecStatus.ERROR_CHANNEL) {
                sawStatus = true;
            }
            if (peer == null) {
                pending.add(f);
            } else {
                forward(f);
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void forward(WebSocketFrame f) {
        if (!peer.isActive()) {
            f.release();
            return;
        }
        peer.writeAndFlush(f);
        if (!peer.isWritable()) {
            self.config().setAutoRead(false);
        }
    }

    /** This channel drained: the peer may read (and send here) again. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && peer != null) {
            peer.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        endPeer();
        for (WebSocketFrame f : pending) {
            f.release();
        }
        pending.clear();
    }

    /**
     * This side is over: the peer gets a close frame (after a Failure status if the agent's side
     * ended without an exit status) and its TCP connection ends when it answers or after
     * {@link #CLOSE_WAIT_MILLIS}, so a client still writing is not reset before it read the end.
     */
    private void endPeer() {
        if (peer == null) {
            return;
        }
        FrameRelay other = peer.pipeline().get(FrameRelay.class);
        if (fromAgent && !sawStatus && peer.isActive() && (other == null || !other.closeSent)) {
            sawStatus = true;
            peer.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(
                    ExecStatus.failure("the connection to the node agent ended without an exit status"))));
        }
        if (other == null) {
            peer.close();
        } else {
            other.sendClose();
        }
    }

    /** Starts the closing handshake on this side (once). */
    void sendClose() {
        if (closeSent || !self.isActive()) {
            return;
        }
        closeSent = true;
        Channel ch = self;
        ch.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE));
        ch.eventLoop().schedule(() -> {
            ch.close();
        }, CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.FINE, "exec relay connection error", cause);
        ctx.close();
    }

    /** For tests: whether a frame is waiting for the peer. */
    int pendingFrames() {
        return pending.size();
    }
}
