package io.starling.dht.store;

/**
 * Receives the changes of a watched collection, in revision order, each exactly once.
 * Called on the store's event loop: do not block; hand off heavy work.
 */
public interface WatchListener {
    void onEvent(WatchEvent event);

    /** The watch can no longer continue from where it was (410 Gone to an API client). */
    default void onGone(String why) {}

    /** Progress marker: nothing changed up to {@code revision} (BOOKMARK to an API client). */
    default void onProgress(long revision) {}
}
