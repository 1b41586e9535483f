/**
 * The HTTP edge of the gateway: Netty handlers that turn aggregated requests into immutable
 * {@link io.starling.gateway.http.ApiRequest}s, hand them to the API off the event loop, and write
 * back {@link io.starling.gateway.http.Reply}s, complete or chunked (watch, logs).
 */
package io.starling.gateway.http;
