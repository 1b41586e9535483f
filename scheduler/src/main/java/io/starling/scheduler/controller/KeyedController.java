package io.starling.scheduler.controller;

import io.starling.scheduler.queue.ReconcileResult;
import io.starling.scheduler.queue.ReconcileRunner;
import io.starling.scheduler.queue.WorkQueue;
import java.util.concurrent.CompletableFuture;

/**
 * Base of a controller: a work queue of {@code namespace/name} keys, a runner that calls
 * {@link #reconcile} once every informer has synced, and {@link #register()} where the subclass
 * wires informer handlers that only enqueue.
 */
public abstract class KeyedController {
    protected final ControllerContext ctx;
    protected final WorkQueue<String> queue;
    private final ReconcileRunner<String> runner;

    protected KeyedController(String name, ControllerContext ctx) {
        this.ctx = ctx;
        this.queue = new WorkQueue<>(ctx.loop(), ctx.cfg().backoff());
        this.runner = new ReconcileRunner<>(name, ctx.loop(), queue, this::reconcile,
                ctx.cfg().maxConcurrentReconciles(), () -> ctx.informers().allSynced());
    }

    /** Wires informer handlers (called once, on the loop, before informers start). */
    protected abstract void register();

    protected abstract CompletableFuture<ReconcileResult> reconcile(String key);

    public final void start() {
        register();
        runner.start();
    }

    /** Hands out queued keys; the manager calls it when informers finish syncing. */
    public final void pump() {
        runner.pump();
    }

    public void stop() {
        runner.stop();
    }

    public final void enqueue(String key) {
        queue.add(key);
    }

    public WorkQueue<String> queue() {
        return queue;
    }

    public long reconciles() {
        return runner.reconciles();
    }

    protected static CompletableFuture<ReconcileResult> done() {
        return CompletableFuture.completedFuture(ReconcileResult.DONE);
    }
}
