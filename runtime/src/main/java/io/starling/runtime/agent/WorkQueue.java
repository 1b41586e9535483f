package io.starling.runtime.agent;

import io.starling.core.exec.EventLoop;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A client-go style work queue, confined to the event loop: a key is queued at most once (adds
 * while queued merge), a key being processed is never handed out again until {@link #done}, and
 * an add during processing re-queues it after {@code done}. Up to {@code maxInFlight} keys are
 * processed at once. {@link #addAfter} keeps only the earliest pending delay per key.
 */
final class WorkQueue {
    private final EventLoop loop;
    private final int maxInFlight;
    private final Consumer<String> processor;
    private final Deque<String> queue = new ArrayDeque<>();
    private final Set<String> dirty = new HashSet<>();
    private final Set<String> processing = new HashSet<>();
    /** key -> due time (mono millis) of its pending delayed add. */
    private final TreeMap<String, Long> delayed = new TreeMap<>();
    private boolean shutDown;

    WorkQueue(EventLoop loop, int maxInFlight, Consumer<String> processor) {
        this.loop = loop;
        this.maxInFlight = maxInFlight;
        this.processor = processor;
    }

    void add(String key) {
        if (shutDown || dirty.contains(key)) {
            return;
        }
        dirty.add(key);
        if (!processing.contains(key)) {
            queue.addLast(key);
            dispatch();
        }
    }

    void addAfter(String key, long delayMillis) {
        if (shutDown) {
            return;
        }
        if (delayMillis <= 0) {
            add(key);
            return;
        }
        long due = loop.clock().monoMillis() + delayMillis;
        Long pending = delayed.get(key);
        if (pending != null && pending <= due) {
            return;
        }
        delayed.put(key, due);
        loop.schedule(delayMillis, () -> {
            Long d = delayed.get(key);
            if (d != null && d == due) {
                delayed.remove(key);
                add(key);
            }
        });
    }

    /** Marks a key finished; if it was added meanwhile it is queued again. */
    void done(String key) {
        processing.remove(key);
        if (dirty.contains(key)) {
            queue.addLast(key);
        }
        dispatch();
    }

    private void dispatch() {
        while (!shutDown && processing.size() < maxInFlight && !queue.isEmpty()) {
            String key = queue.pollFirst();
            dirty.remove(key);
            processing.add(key);
            processor.accept(key);
        }
    }

    int inFlight() {
        return processing.size();
    }

    int queued() {
        return queue.size();
    }

    void shutDown() {
        shutDown = true;
        queue.clear();
        delayed.clear();
    }

    /** Invariants: a key is never both queued and processing; queued keys are dirty. */
    void checkInvariants() {
        for (String k : queue) {
            if (processing.contains(k) || !dirty.contains(k)) {
                throw new IllegalStateException("work queue invariant broken for " + k);
            }
        }
        if (processing.size() > maxInFlight) {
            throw new IllegalStateException("more keys in flight than allowed");
        }
    }
}
