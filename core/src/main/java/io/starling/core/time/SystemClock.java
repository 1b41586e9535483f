package io.starling.core.time;

/** The real clock; the only place outside the simulator that reads the system time. */
public final class SystemClock implements Clock {
    public static final SystemClock INSTANCE = new SystemClock();

    private SystemClock() {}

    @Override
    public long wallMillis() {
        return System.currentTimeMillis();
    }

    @Override
    public long monoNanos() {
        return System.nanoTime();
    }
}
