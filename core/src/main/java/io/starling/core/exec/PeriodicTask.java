package io.starling.core.exec;

/** Re-arms itself after each run, so a slow run never overlaps the next one. */
final class PeriodicTask implements Cancellable {
    private final EventLoop loop;
    private final long periodMillis;
    private final Runnable task;
    private volatile boolean cancelled;
    private volatile Cancellable next = Cancellable.NONE;

    PeriodicTask(EventLoop loop, long periodMillis, Runnable task) {
        if (periodMillis <= 0) {
            throw new IllegalArgumentException("periodMillis must be > 0");
        }
        this.loop = loop;
        this.periodMillis = periodMillis;
        this.task = task;
    }

    void start(long initialDelayMillis) {
        next = loop.schedule(initialDelayMillis, this::runOnce);
    }

    private void runOnce() {
        if (cancelled) {
            return;
        }
        try {
            task.run();
        } finally {
            if (!cancelled) {
                next = loop.schedule(periodMillis, this::runOnce);
            }
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
        next.cancel();
    }
}
