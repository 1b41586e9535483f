package io.starling.core.sim;

import io.starling.core.exec.Cancellable;
import io.starling.core.exec.EventLoop;
import io.starling.core.time.Clock;

/** One peer's view of the {@link Simulation}: its events run on the shared virtual-time queue. */
public final class SimEventLoop implements EventLoop {
    private final Simulation sim;
    private final String name;
    private boolean halted;

    SimEventLoop(Simulation sim, String name) {
        this.sim = sim;
        this.name = name;
    }

    @Override
    public Clock clock() {
        return sim.clock();
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        if (halted) {
            return Cancellable.NONE;
        }
        return sim.schedule(this, delayMillis, task);
    }

    @Override
    public void execute(Runnable task) {
        schedule(0, task);
    }

    @Override
    public boolean inEventLoop() {
        return sim.current() == this;
    }

    /** Crash: every pending and future event of this loop is dropped. */
    public void halt() {
        halted = true;
    }

    public boolean halted() {
        return halted;
    }

    public Simulation simulation() {
        return sim;
    }

    @Override
    public String toString() {
        return "SimEventLoop[" + name + "]";
    }
}
