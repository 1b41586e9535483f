package io.starling.gateway.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import java.util.function.Consumer;

/**
 * HTTP/2 and HTTP/1.1 on one TLS port, chosen by ALPN.
 *
 * <p>Why HTTP/2: client-go (kubectl 1.32, controllers) negotiates h2 and multiplexes every request
 * and watch of a client over one connection. An HTTP/1.1 client instead opens a new TLS connection
 * for each concurrent request, and a full handshake (ECDHE + ECDSA, a client certificate to verify)
 * costs the server ~30x a small write, so under load the handshakes, not the store, saturate it.
 *
 * <p>On h2 every stream becomes a child channel whose pipeline converts frames to the same
 * {@code HttpObject}s the HTTP/1.1 codec produces, so the body limit, the request adapter and
 * streaming replies are shared. HTTP/1.1 stays for clients without h2 (kubectl 1.20) and for
 * WebSocket upgrades (exec), which client-go always dials with HTTP/1.1.
 */
public final class HttpProtocols {
    /**
     * Streams one connection may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS); watches count.
     * kube-apiserver raises Go's default of 250 to 1000 because one client multiplexes many
     * watches; requests beyond the gateway's in-flight limit still get 429.
     */
    public static final int MAX_CONCURRENT_STREAMS_PER_CONNECTION = 1000;
    /** Largest header block a client may send (SETTINGS_MAX_HEADER_LIST_SIZE), as HTTP/1.1's codec defaults allow. */
    public static final int MAX_HEADER_LIST_BYTES = 16 * 1024;

    private HttpProtocols() {}

    /** ALPN for a server SslContext builder: h2 preferred, http/1.1 as fallback. */
    public static ApplicationProtocolConfig alpn() {
        return new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);
    }

    /** Whether a server context offers h2 in ALPN (built with {@link #alpn()}). */
    public static boolean offersHttp2(SslContext ssl) {
        return ssl != null && ssl.applicationProtocolNegotiator() != null
                && ssl.applicationProtocolNegotiator().protocols().contains(ApplicationProtocolNames.HTTP_2);
    }

    /**
     * The handler to put after TLS: once the handshake picked a protocol it installs the HTTP/1.1
     * codec and then {@code requestHandlers}, or the HTTP/2 codec with {@code requestHandlers} on
     * every stream. A client without ALPN gets HTTP/1.1.
     *
     * @param requestHandlers adds the handlers that follow the HTTP codec (aggregator, request adapter)
     */
    public static ApplicationProtocolNegotiationHandler negotiation(Consumer<ChannelPipeline> requestHandlers) {
        return new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
            @Override
            protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                ChannelPipeline p = ctx.pipeline();
                if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                    // streams flush one by one; batch those flushes into fewer TLS records and syscalls
                    p.addLast("flush", new FlushConsolidationHandler(
                            FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
                    p.addLast("h2", Http2FrameCodecBuilder.forServer()
                            .initialSettings(Http2Settings.defaultSettings()
                                    .maxConcurrentStreams(MAX_CONCURRENT_STREAMS_PER_CONNECTION)
                                    .maxHeaderListSize(MAX_HEADER_LIST_BYTES))
                            .build());
                    p.addLast("h2-streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                        @Override
                        protected void initChannel(Http2StreamChannel ch) {
                            ch.pipeline().addLast("http", new Http2StreamFrameToHttpObjectCodec(true));
                            requestHandlers.accept(ch.pipeline());
                        }
                    }));
                } else if (ApplicationProtocolNames.HTTP_1_1.equals(protocol)) {
                    p.addLast("http", new HttpServerCodec());
                    requestHandlers.accept(p);
                } else {
                    throw new IllegalStateException("unsupported application protocol: " + protocol);
                }
            }
        };
    }
}
