package io.starling.scheduler.queue;

import io.starling.core.exec.Cancellable;
import io.starling.core.exec.EventLoop;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A queue of keys (never events), in the manner of client-go's workqueue, on one event loop.
 *
 * <p>Invariants: a key is at most once in the ready queue ({@code dirty} merges duplicates); a key
 * handed out by {@link #poll()} is "processing" until {@link #done}; adding a processing key only
 * marks it dirty, and {@code done} puts it back, so one key is never processed twice at once and no
 * change is lost. Delayed adds of one key collapse to the earliest due time. Ready keys leave in
 * FIFO order; the hash sets are used for membership only, never iterated for decisions.
 *
 * <p>Not thread-safe: every method must be called on the loop.
 */
public final class WorkQueue<K> {
    private final EventLoop loop;
    private final BackoffPolicy backoff;
    private final Deque<K> ready = new ArrayDeque<>();
    private final Set<K> dirty = new HashSet<>();
    private final Set<K> processing = new HashSet<>();
    private final Map<K, Waiting> waiting = new LinkedHashMap<>();
    private final Map<K, Integer> failures = new HashMap<>();
    private Runnable onReady = () -> {};
    private boolean notifyScheduled;
    private boolean shutDown;

    private record Waiting(long dueMonoMillis, Cancellable timer) {}

    public WorkQueue(EventLoop loop, BackoffPolicy backoff) {
        this.loop = loop;
        this.backoff = backoff;
    }

    public WorkQueue(EventLoop loop) {
        this(loop, BackoffPolicy.DEFAULT);
    }

    /** Called (on the loop, coalesced) whenever keys may be ready to {@link #poll()}. */
    public void setOnReady(Runnable onReady) {
        this.onReady = onReady;
    }

    public void add(K key) {
        if (shutDown || !dirty.add(key)) {
            return;
        }
        if (!processing.contains(key)) {
            ready.addLast(key);
            notifyReady();
        }
    }

    /** Adds {@code key} after {@code delayMillis}; an earlier pending due time for the key wins. */
    public void addAfter(K key, long delayMillis) {
        if (shutDown) {
            return;
        }
        if (delayMillis <= 0) {
            add(key);
            return;
        }
        long due = loop.clock().monoMillis() + delayMillis;
        Waiting w = waiting.get(key);
        if (w != null) {
            if (w.dueMonoMillis <= due) {
                return;
            }
            w.timer.cancel();
        }
        Cancellable timer = loop.schedule(delayMillis, () -> {
            waiting.remove(key);
            add(key);
        });
        waiting.put(key, new Waiting(due, timer));
    }

    /** Adds {@code key} after its back-off delay and counts one more failure for it. */
    public void addRateLimited(K key) {
        int n = failures.merge(key, 1, Integer::sum);
        addAfter(key, backoff.delayMillis(n));
    }

    /** Clears the failure count of {@code key} (call after a successful reconcile). */
    public void forget(K key) {
        failures.remove(key);
    }

    public int numRequeues(K key) {
        return failures.getOrDefault(key, 0);
    }

    /** The next ready key, now marked processing, or {@code null}. */
    public K poll() {
        K key = ready.pollFirst();
        if (key == null) {
            return null;
        }
        dirty.remove(key);
        processing.add(key);
        return key;
    }

    /** Ends processing of {@code key}; if it was added meanwhile it becomes ready again. */
    public void done(K key) {
        if (!processing.remove(key)) {
            return;
        }
        if (dirty.contains(key) && !shutDown) {
            ready.addLast(key);
            notifyReady();
        }
    }

    public int readyCount() {
        return ready.size();
    }

    public int processingCount() {
        return processing.size();
    }

    public int waitingCount() {
        return waiting.size();
    }

    public boolean isProcessing(K key) {
        return processing.contains(key);
    }

    /** Stops accepting keys and cancels delayed adds; keys being processed may still call done. */
    public void shutDown() {
        shutDown = true;
        waiting.values().forEach(w -> w.timer.cancel());
        waiting.clear();
        ready.clear();
        dirty.clear();
    }

    public boolean isShutDown() {
        return shutDown;
    }

    /** Throws if the bookkeeping is inconsistent (tests and the simulator call this). */
    public void checkInvariants() {
        Set<K> seen = new HashSet<>();
        for (K k : ready) {
            if (!seen.add(k)) {
                throw new IllegalStateException("key twice in ready queue: " + k);
            }
            if (!dirty.contains(k)) {
                throw new IllegalStateException("ready key not dirty: " + k);
            }
            if (processing.contains(k)) {
                throw new IllegalStateException("ready key is processing: " + k);
            }
        }
        for (K k : dirty) {
            if (!seen.contains(k) && !processing.contains(k)) {
                throw new IllegalStateException("dirty key neither ready nor processing: " + k);
            }
        }
    }

    private void notifyReady() {
        if (notifyScheduled) {
            return;
        }
        notifyScheduled = true;
        loop.execute(() -> {
            notifyScheduled = false;
            onReady.run();
        });
    }
}
