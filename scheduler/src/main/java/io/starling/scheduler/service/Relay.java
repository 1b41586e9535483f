package io.starling.scheduler.service;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Optional;

/**
 * Byte relay between an accepted connection and its endpoint. Reads are pulled one at a time
 * (auto-read off, next read after the write was flushed), so a slow side applies back-pressure to
 * the fast one instead of filling memory. Either side closing closes the other after a flush.
 */
final class Relay {
    private Relay() {}

    interface Connector {
        Optional<ChannelFuture> connect(ServiceRoutes.Listen listen, Channel inbound);
    }

    /** The accepted side: connects to the endpoint, then relays towards it. */
    static final class Frontend extends ChannelInboundHandlerAdapter {
        private final Connector connector;
        private final ServiceRoutes.Listen listen;
        private Channel outbound;

        Frontend(Connector connector, ServiceRoutes.Listen listen) {
            this.connector = connector;
            this.listen = listen;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel inbound = ctx.channel();
            Optional<ChannelFuture> connecting = connector.connect(listen, inbound);
            if (connecting.isEmpty()) {
                inbound.close(); // no ready endpoint: refuse, as kube-proxy rejects
                return;
            }
            ChannelFuture f = connecting.get();
            outbound = f.channel();
            f.addListener((ChannelFutureListener) done -> {
                if (done.isSuccess()) {
                    inbound.read();
                } else {
                    inbound.close();
                }
            });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            forward(ctx.channel(), outbound, msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closeOnFlush(outbound);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            closeOnFlush(ctx.channel());
        }
    }

    /** The endpoint side: relays back to the accepted connection. */
    static final class Backend extends ChannelInboundHandlerAdapter {
        private final Channel inbound;

        Backend(Channel inbound) {
            this.inbound = inbound;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.read();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            forward(ctx.channel(), inbound, msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closeOnFlush(inbound);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            closeOnFlush(ctx.channel());
        }
    }

    private static void forward(Channel from, Channel to, Object msg) {
        if (to == null || !to.isActive()) {
            io.netty.util.ReferenceCountUtil.release(msg);
            from.close();
            return;
        }
        to.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                from.read();
            } else {
                f.channel().close();
                from.close();
            }
        });
    }

    static void closeOnFlush(Channel ch) {
        if (ch != null && ch.isActive()) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
