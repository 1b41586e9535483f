package io.starling.core.sim;

import io.starling.core.exec.Cancellable;
import io.starling.core.time.Clock;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One virtual clock and one event queue for a whole simulated cluster. Events run one at a time in
 * (virtual time, sequence number) order, so a run depends only on its seed and inputs. Each peer
 * gets an {@link SimEventLoop} view whose clock is the virtual clock; a crashed peer's loop is
 * halted and its pending events are dropped when they come due.
 *
 * <p>Not thread-safe: the thread that calls {@link #run}, {@link #step} or {@link #runUntil} drives
 * everything.
 */
public final class Simulation {
    private static final Logger LOG = Logger.getLogger(Simulation.class.getName());
    /** 2026-01-01T00:00:00Z: wall time of virtual time 0 unless given. */
    public static final long DEFAULT_EPOCH_MILLIS = 1_767_225_600_000L;

    private final long epochMillis;
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final Clock clock = new VirtualClock();
    private long nowMillis;
    private long sequence;
    private long executed;
    private SimEventLoop current;
    private boolean rethrow = true;
    private int failures;
    private Runnable invariantCheck;
    private int checkEveryEvents;

    public Simulation() {
        this(DEFAULT_EPOCH_MILLIS);
    }

    public Simulation(long epochMillis) {
        this.epochMillis = epochMillis;
    }

    /** When true (default) an exception thrown by an event aborts the run; otherwise it is logged and counted. */
    public Simulation rethrowFailures(boolean rethrow) {
        this.rethrow = rethrow;
        return this;
    }

    public SimEventLoop newLoop(String name) {
        return new SimEventLoop(this, name);
    }

    /** The virtual clock: wall = epoch + virtual millis, monotonic = virtual time. */
    public Clock clock() {
        return clock;
    }

    public long nowMillis() {
        return nowMillis;
    }

    public long executedEvents() {
        return executed;
    }

    public int pendingEvents() {
        return queue.size();
    }

    public int failures() {
        return failures;
    }

    /**
     * Runs {@code check} (e.g. every peer's checkInvariants) after every {@code everyEvents}-th event;
     * an exception from it fails the run like a failing event.
     */
    public Simulation checkInvariantsEvery(int everyEvents, Runnable check) {
        if (everyEvents < 1) {
            throw new IllegalArgumentException("everyEvents must be >= 1");
        }
        this.checkEveryEvents = everyEvents;
        this.invariantCheck = check;
        return this;
    }

    /** The loop whose event is running, or null between events. */
    SimEventLoop current() {
        return current;
    }

    Cancellable schedule(SimEventLoop owner, long delayMillis, Runnable task) {
        Event e = new Event(nowMillis + Math.max(0, delayMillis), sequence++, owner, task);
        queue.add(e);
        return e;
    }

    /** Runs the next event; false when the queue is empty. */
    public boolean step() {
        Event e = queue.poll();
        if (e == null) {
            return false;
        }
        nowMillis = Math.max(nowMillis, e.atMillis);
        if (e.cancelled || (e.owner != null && e.owner.halted())) {
            return true;
        }
        current = e.owner;
        try {
            executed++;
            e.task.run();
            if (invariantCheck != null && executed % checkEveryEvents == 0) {
                current = null;
                invariantCheck.run();
            }
        } catch (RuntimeException | Error t) {
            failures++;
            if (rethrow) {
                throw t;
            }
            LOG.log(Level.WARNING, "simulated event failed at t=" + nowMillis + "ms", t);
        } finally {
            current = null;
        }
        return true;
    }

    /** Runs every event due up to {@code untilMillis} (virtual), then sets the clock to it. */
    public void run(long untilMillis) {
        while (!queue.isEmpty() && queue.peek().atMillis <= untilMillis) {
            step();
        }
        nowMillis = Math.max(nowMillis, untilMillis);
    }

    /** Runs for {@code millis} of virtual time from now. */
    public void runFor(long millis) {
        run(nowMillis + millis);
    }

    /**
     * Runs events until {@code done} holds (checked after every event) or {@code maxMillis} of virtual
     * time pass. Returns whether the predicate held.
     */
    public boolean runUntil(BooleanSupplier done, long maxMillis) {
        long deadline = nowMillis + maxMillis;
        if (done.getAsBoolean()) {
            return true;
        }
        while (!queue.isEmpty() && queue.peek().atMillis <= deadline) {
            step();
            if (done.getAsBoolean()) {
                return true;
            }
        }
        nowMillis = Math.max(nowMillis, deadline);
        return done.getAsBoolean();
    }

    private static final class Event implements Comparable<Event>, Cancellable {
        final long atMillis;
        final long seq;
        final SimEventLoop owner;
        final Runnable task;
        boolean cancelled;

        Event(long atMillis, long seq, SimEventLoop owner, Runnable task) {
            this.atMillis = atMillis;
            this.seq = seq;
            this.owner = owner;
            this.task = task;
        }

        @Override
        public int compareTo(Event o) {
            int c = Long.compare(atMillis, o.atMillis);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    private final class VirtualClock implements Clock {
        @Override
        public long wallMillis() {
            return epochMillis + nowMillis;
        }

        @Override
        public long monoNanos() {
            return nowMillis * 1_000_000L;
        }
    }
}
