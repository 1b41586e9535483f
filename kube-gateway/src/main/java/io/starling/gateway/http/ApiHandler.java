package io.starling.gateway.http;

import java.util.concurrent.CompletableFuture;

/** The API behind the HTTP edge. Called off the Netty event loop; must not throw. */
public interface ApiHandler {
    CompletableFuture<Reply> handle(ApiRequest request);

    /** The answer to a body over the size limit (413). */
    Reply tooLarge(int maxBodyBytes);

    /** The answer to a request that is not valid HTTP or has an undecodable URI (400). */
    Reply.Full malformed(String why);

    /** The answer when too many requests are in flight (429, with Retry-After). */
    Reply.Full tooManyRequests();
}
