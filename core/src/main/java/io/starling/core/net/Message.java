package io.starling.core.net;

/**
 * Marker for everything that crosses a peer link. Implementations are immutable (records) and
 * registered with a {@link WireRegistry} under a fixed id: the codec never instantiates a class
 * that was not registered.
 */
public interface Message {}
