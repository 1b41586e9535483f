package io.starling.scheduler.queue;

/**
 * What a reconcile asks of its queue: nothing ({@link #DONE}), a retry with back-off
 * ({@link #RETRY}), or another look after a delay ("requeue after", how a reconcile waits).
 */
public record ReconcileResult(boolean retry, long requeueAfterMillis) {
    public static final ReconcileResult DONE = new ReconcileResult(false, 0);
    public static final ReconcileResult RETRY = new ReconcileResult(true, 0);

    public static ReconcileResult after(long millis) {
        return millis <= 0 ? RETRY : new ReconcileResult(false, millis);
    }

    /** The result that wakes up soonest of the two (DONE is "never"). */
    public ReconcileResult sooner(ReconcileResult o) {
        if (retry || o == null) {
            return this;
        }
        if (o.retry) {
            return o;
        }
        if (requeueAfterMillis == 0) {
            return o;
        }
        if (o.requeueAfterMillis == 0) {
            return this;
        }
        return requeueAfterMillis <= o.requeueAfterMillis ? this : o;
    }
}
