/**
 * The production {@link io.starling.core.net.Transport}: Netty over TCP with mutual TLS, 4-byte
 * length framing with a size limit, and a Kryo codec that only knows registered classes. Owns the
 * pipeline handlers, the envelope format, the codec and the transport's counters; certificates and
 * TLS contexts come from io.starling.core.security.
 */
package io.starling.core.net.netty;
