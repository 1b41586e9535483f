package io.starling.runtime.agent;

import io.starling.core.exec.Cancellable;
import io.starling.core.exec.EventLoop;
import io.starling.core.time.Clock;
import java.util.PriorityQueue;

/** A single-threaded virtual-time loop for unit tests: tasks run only when the test advances time. */
final class ManualEventLoop implements EventLoop {
    private record Task(long dueMillis, long seq, Runnable run, boolean[] cancelled) {}

    private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.dueMillis != b.dueMillis
            ? Long.compare(a.dueMillis, b.dueMillis) : Long.compare(a.seq, b.seq));
    private long nowMillis = 1_000_000;
    private long seq;

    private final Clock clock = new Clock() {
        @Override
        public long wallMillis() {
            return 1_790_000_000_000L + nowMillis;
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
    public Cancellable schedule(long delayMillis, Runnable task) {
        boolean[] cancelled = {false};
        tasks.add(new Task(nowMillis + Math.max(0, delayMillis), seq++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    @Override
    public void execute(Runnable command) {
        schedule(0, command);
    }

    @Override
    public boolean inEventLoop() {
        return true;
    }

    /** Runs every task due within {@code millis} from now, advancing the clock as it goes. */
    void advance(long millis) {
        long end = nowMillis + millis;
        while (!tasks.isEmpty() && tasks.peek().dueMillis <= end) {
            Task t = tasks.poll();
            nowMillis = Math.max(nowMillis, t.dueMillis);
            if (!t.cancelled[0]) {
                t.run.run();
            }
        }
        nowMillis = end;
    }

    void runPending() {
        advance(0);
    }
}
