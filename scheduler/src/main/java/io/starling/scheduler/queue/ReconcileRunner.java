package io.starling.scheduler.queue;

import io.starling.core.exec.EventLoop;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Drives a {@link Reconciler} from a {@link WorkQueue} on an event loop: up to
 * {@code maxConcurrentReconciles} keys are in flight (each an async chain of store calls), keys
 * wait until {@code ready} says the caches have synced, failures retry with back-off, and
 * "requeue after" results re-add the key later.
 */
public final class ReconcileRunner<K> {
    private static final Logger LOG = Logger.getLogger(ReconcileRunner.class.getName());

    private final String name;
    private final EventLoop loop;
    private final WorkQueue<K> queue;
    private final Reconciler<K> reconciler;
    private final int maxConcurrentReconciles;
    private final BooleanSupplier ready;
    private int inFlight;
    private boolean pumping;
    private boolean running;
    private long reconciles;

    public ReconcileRunner(String name, EventLoop loop, WorkQueue<K> queue, Reconciler<K> reconciler,
                           int maxConcurrentReconciles, BooleanSupplier ready) {
        if (maxConcurrentReconciles <= 0) {
            throw new IllegalArgumentException("maxConcurrentReconciles must be > 0");
        }
        this.name = name;
        this.loop = loop;
        this.queue = queue;
        this.reconciler = reconciler;
        this.maxConcurrentReconciles = maxConcurrentReconciles;
        this.ready = ready;
        queue.setOnReady(this::pump);
    }

    public WorkQueue<K> queue() {
        return queue;
    }

    public void start() {
        running = true;
        loop.execute(this::pump);
    }

    public void stop() {
        running = false;
        queue.shutDown();
    }

    /** Number of reconciles started so far (for tests and metrics). */
    public long reconciles() {
        return reconciles;
    }

    /** Re-checks readiness and hands out ready keys; call when caches become synced. */
    public void pump() {
        // a reconcile that completes at once finishes inside this loop; the flag keeps that from
        // recursing (deep stacks with many keys) - the loop below simply continues
        if (!running || pumping || !ready.getAsBoolean()) {
            return;
        }
        pumping = true;
        try {
            drain();
        } finally {
            pumping = false;
        }
    }

    private void drain() {
        while (running && inFlight < maxConcurrentReconciles) {
            K key = queue.poll();
            if (key == null) {
                return;
            }
            inFlight++;
            reconciles++;
            CompletionStage<ReconcileResult> stage;
            try {
                stage = reconciler.reconcile(key);
            } catch (RuntimeException e) {
                stage = java.util.concurrent.CompletableFuture.failedFuture(e);
            }
            stage.whenComplete((result, error) -> {
                if (loop.inEventLoop()) {
                    finish(key, result, error);
                } else {
                    loop.execute(() -> finish(key, result, error));
                }
            });
        }
    }

    private void finish(K key, ReconcileResult result, Throwable error) {
        inFlight--;
        if (error != null) {
            LOG.log(Level.FINE, name + ": reconcile of " + key + " failed, retrying", error);
            queue.addRateLimited(key);
        } else if (result == null || (!result.retry() && result.requeueAfterMillis() == 0)) {
            queue.forget(key);
        } else if (result.retry()) {
            queue.addRateLimited(key);
        } else {
            queue.forget(key);
            queue.addAfter(key, result.requeueAfterMillis());
        }
        queue.done(key);
        pump();
    }
}
