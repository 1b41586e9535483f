package io.starling.scheduler.testing;

import io.starling.core.exec.Cancellable;
import io.starling.core.exec.EventLoop;
import io.starling.core.time.Clock;
import java.util.PriorityQueue;

/**
 * A deterministic, virtual-time event loop for tests: tasks wait in a priority queue ordered by
 * (due time, sequence number) and run only when the test advances time. Time starts at a fixed
 * wall-clock instant so timestamps are reproducible.
 */
public final class ManualEventLoop implements EventLoop {
    public static final long START_WALL_MILLIS = 1_798_761_600_000L; // 2027-01-01T00:00:00Z

    private record Task(long dueMillis, long seq, Runnable run, boolean[] cancelled) {}

    private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) ->
            a.dueMillis != b.dueMillis ? Long.compare(a.dueMillis, b.dueMillis) : Long.compare(a.seq, b.seq));
    private long nowMillis;
    private long seq;
    private long executed;

    private final Clock clock = new Clock() {
        @Override
        public long wallMillis() {
            return START_WALL_MILLIS + nowMillis;
        }

        @Override
        public long monoNanos() {
            return nowMillis * 1_000_000L;
        }
    };

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public void execute(Runnable task) {
        schedule(0, task);
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        boolean[] cancelled = {false};
        tasks.add(new Task(nowMillis + Math.max(0, delayMillis), seq++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    private boolean inLoop = true;

    @Override
    public boolean inEventLoop() {
        return inLoop;
    }

    /** Lets a test pretend callers run on another thread (so work is posted, not run inline). */
    public void setInEventLoop(boolean inLoop) {
        this.inLoop = inLoop;
    }

    public long nowMillis() {
        return nowMillis;
    }

    public long executed() {
        return executed;
    }

    /** Runs every task due now (including ones they add for now). */
    public void runUntilIdle() {
        advance(0);
    }

    /** Moves time forward by {@code millis}, running every task due on the way in order. */
    public void advance(long millis) {
        long end = nowMillis + millis;
        while (!tasks.isEmpty() && tasks.peek().dueMillis <= end) {
            Task t = tasks.poll();
            nowMillis = Math.max(nowMillis, t.dueMillis);
            if (!t.cancelled[0]) {
                executed++;
                t.run.run();
            }
        }
        nowMillis = end;
    }

    /** Runs due tasks until {@code f} completes (it must complete without time passing) and returns its value. */
    public <T> T await(java.util.concurrent.CompletionStage<T> f) {
        java.util.concurrent.CompletableFuture<T> cf = f.toCompletableFuture();
        runUntilIdle();
        if (!cf.isDone()) {
            throw new AssertionError("future did not complete on the loop");
        }
        return cf.join();
    }

    /** Advances in steps of {@code stepMillis} until {@code condition} holds or {@code maxMillis} passed. */
    public boolean advanceUntil(java.util.function.BooleanSupplier condition, long stepMillis, long maxMillis) {
        long waited = 0;
        runUntilIdle();
        while (!condition.getAsBoolean()) {
            if (waited >= maxMillis) {
                return false;
            }
            advance(stepMillis);
            waited += stepMillis;
        }
        return true;
    }
}
