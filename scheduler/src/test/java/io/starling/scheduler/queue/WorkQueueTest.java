package io.starling.scheduler.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.starling.scheduler.testing.ManualEventLoop;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
    private final ManualEventLoop loop = new ManualEventLoop();
    private final WorkQueue<String> q = new WorkQueue<>(loop);

    @Test
    void duplicatesAreMergedAndOrderIsFifo() {
        q.add("a");
        q.add("b");
        q.add("a");
        assertEquals(2, q.readyCount());
        assertEquals("a", q.poll());
        assertEquals("b", q.poll());
        assertNull(q.poll());
    }

    @Test
    void aKeyIsNeverHandedOutTwiceAtOnceButChangesAreNotLost() {
        q.add("a");
        assertEquals("a", q.poll());
        q.add("a");
        q.add("a");
        assertNull(q.poll(), "a is processing");
        q.done("a");
        assertEquals("a", q.poll(), "re-added while processing -> ready again after done");
        q.done("a");
        assertNull(q.poll());
        q.checkInvariants();
    }

    @Test
    void delayedAddsCollapseToTheEarliest() {
        q.addAfter("a", 100);
        q.addAfter("a", 50);
        q.addAfter("a", 500);
        assertEquals(1, q.waitingCount());
        loop.advance(49);
        assertNull(q.poll());
        loop.advance(1);
        assertEquals("a", q.poll());
        q.done("a");
        loop.advance(1000);
        assertNull(q.poll(), "the later adds were merged into the first");
    }

    @Test
    void rateLimitedBackOffIsExponentialAndResetByForget() {
        BackoffPolicy p = BackoffPolicy.DEFAULT;
        assertEquals(5, p.delayMillis(1));
        assertEquals(10, p.delayMillis(2));
        assertEquals(5 * 1024, p.delayMillis(11));
        assertEquals(1_000_000, p.delayMillis(40));
        assertEquals(1_000_000, p.delayMillis(500));
        q.addRateLimited("a");
        q.addRateLimited("a");
        assertEquals(2, q.numRequeues("a"));
        loop.advance(4);
        assertNull(q.poll());
        loop.advance(1);
        assertEquals("a", q.poll());
        q.forget("a");
        assertEquals(0, q.numRequeues("a"));
    }

    @Test
    void runnerNeverRunsOneKeyConcurrentlyAndRetriesFailures() {
        List<String> log = new ArrayList<>();
        int[] inFlightA = {0};
        int[] calls = {0};
        java.util.concurrent.CompletableFuture<?>[] pending = new java.util.concurrent.CompletableFuture<?>[1];
        ReconcileRunner<String> r = new ReconcileRunner<>("t", loop, q, key -> {
            calls[0]++;
            inFlightA[0]++;
            assertTrue(inFlightA[0] <= 1);
            java.util.concurrent.CompletableFuture<ReconcileResult> f = new java.util.concurrent.CompletableFuture<>();
            loop.schedule(10, () -> {
                inFlightA[0]--;
                log.add(key);
                if (calls[0] == 1) {
                    f.completeExceptionally(new IllegalStateException("boom"));
                } else {
                    f.complete(ReconcileResult.DONE);
                }
            });
            pending[0] = f;
            return f;
        }, 4, () -> true);
        r.start();
        q.add("a");
        loop.advance(1);
        q.add("a");
        q.add("a");
        loop.advance(100);
        assertFalse(log.isEmpty());
        assertEquals(0, q.numRequeues("a"), "success forgets the failures");
        assertTrue(calls[0] >= 2 && calls[0] <= 3, "failure retried and adds merged: " + calls[0]);
    }

    @Test
    void manyKeysThatReconcileAtOnceDoNotRecurse() {
        int[] calls = {0};
        ReconcileRunner<Integer> r = new ReconcileRunner<>("t", loop, new WorkQueue<Integer>(loop), key -> {
            calls[0]++;
            return java.util.concurrent.CompletableFuture.completedFuture(ReconcileResult.DONE);
        }, 2, () -> true);
        r.start();
        for (int i = 0; i < 200_000; i++) {
            r.queue().add(i);
        }
        loop.runUntilIdle();
        assertEquals(200_000, calls[0]);
    }

    @Test
    void invariantsHoldUnderAnyOperationSequence() {
        qt().withExamples(200)
                .forAll(lists().of(integers().between(0, 15)).ofSizeBetween(0, 60))
                .checkAssert(WorkQueueTest::invariantsHoldFor);
    }

    private static void invariantsHoldFor(List<Integer> ops) {
        ManualEventLoop l = new ManualEventLoop();
        WorkQueue<Integer> wq = new WorkQueue<>(l);
        java.util.TreeSet<Integer> processing = new java.util.TreeSet<>();
        for (int op : ops) {
            int key = op % 4;
            switch (op / 4) {
                case 0 -> wq.add(key);
                case 1 -> wq.addAfter(key, 1 + key);
                case 2 -> {
                    Integer k = wq.poll();
                    if (k != null) {
                        assertTrue(processing.add(k), "handed out twice: " + k);
                    }
                }
                default -> {
                    if (processing.remove(key)) {
                        wq.done(key);
                    }
                }
            }
            l.advance(1);
            wq.checkInvariants();
        }
    }
}
