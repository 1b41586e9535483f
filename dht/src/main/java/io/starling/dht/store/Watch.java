package io.starling.dht.store;

/** A running watch; close it to stop events and free the subscription at the replica holders. */
public interface Watch extends AutoCloseable {
    @Override
    void close();
}
