package io.starling.core.exec;

import io.starling.core.time.Clock;
import io.starling.core.time.SystemClock;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Production event loop: one daemon thread; a task that throws is logged, never kills the loop. */
public final class ThreadEventLoop implements EventLoop, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ThreadEventLoop.class.getName());

    private final ScheduledThreadPoolExecutor executor;
    private volatile Thread thread;

    public ThreadEventLoop(String name) {
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public Clock clock() {
        return SystemClock.INSTANCE;
    }

    @Override
    public void execute(Runnable task) {
        if (!executor.isShutdown()) {
            executor.execute(guarded(task));
        }
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        if (executor.isShutdown()) {
            return Cancellable.NONE;
        }
        ScheduledFuture<?> f = executor.schedule(guarded(task), Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public boolean inEventLoop() {
        return Thread.currentThread() == thread;
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (Throwable t) {
                LOG.log(Level.WARNING, "task failed on event loop", t);
            }
        };
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
