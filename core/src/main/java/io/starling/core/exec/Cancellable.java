package io.starling.core.exec;

/** A scheduled task that may still be cancelled. Cancelling twice or after it ran is harmless. */
@FunctionalInterface
public interface Cancellable {
    void cancel();

    Cancellable NONE = () -> {};
}
