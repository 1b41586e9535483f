package io.starling.scheduler.queue;

import java.util.concurrent.CompletionStage;

/**
 * A level-triggered reconcile of one key: read the current state, compute the difference to the
 * desired state, write; idempotent and safe to repeat. The returned stage completes on the loop;
 * an exceptional completion is retried with back-off.
 */
@FunctionalInterface
public interface Reconciler<K> {
    CompletionStage<ReconcileResult> reconcile(K key);
}
