package io.starling.gateway.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;

/** Aggregates requests up to {@code maxBodyBytes}; a larger body gets the API's 413 Status and the connection closes. */
public final class BodyLimitAggregator extends HttpObjectAggregator {
    private final ApiHandler api;
    private final int maxBodyBytes;

    public BodyLimitAggregator(int maxBodyBytes, ApiHandler api) {
        super(maxBodyBytes);
        this.api = api;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        Reply r = api.tooLarge(maxBodyBytes);
        if (r instanceof Reply.Full full) {
            HttpRequestHandler.writeFull(ctx, full, false);
        } else {
            ctx.close();
        }
    }
}
