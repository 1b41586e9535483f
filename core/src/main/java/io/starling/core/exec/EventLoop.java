package io.starling.core.exec;

import io.starling.core.time.Clock;
import java.util.concurrent.Executor;

/**
 * The single thread a peer's protocol logic runs on. Every timer, every inbound message and every
 * completion of a transport future is delivered here, so protocol classes need no locks. In
 * production one platform thread backs it; in simulation all peers share one virtual-time queue
 * ordered by (virtual time, sequence number).
 */
public interface EventLoop extends Executor {
    Clock clock();

    /** Runs {@code task} on this loop after {@code delayMillis} (0 = as soon as possible). */
    Cancellable schedule(long delayMillis, Runnable task);

    /** Runs {@code task} every {@code periodMillis}, first after {@code initialDelayMillis}. */
    default Cancellable scheduleAtFixedRate(long initialDelayMillis, long periodMillis, Runnable task) {
        PeriodicTask periodic = new PeriodicTask(this, periodMillis, task);
        periodic.start(initialDelayMillis);
        return periodic;
    }

    /** True when the caller runs on this loop's thread. */
    boolean inEventLoop();
}
