package io.starling.runtime.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
    private final ManualEventLoop loop = new ManualEventLoop();
    private final List<String> handed = new ArrayList<>();
    private final WorkQueue queue = new WorkQueue(loop, 2, handed::add);

    @Test
    void duplicateAddsMergeWhileQueued() {
        WorkQueue one = new WorkQueue(loop, 1, handed::add);
        one.add("a");
        one.add("b");
        one.add("b");
        one.add("b");
        assertEquals(List.of("a"), handed);
        one.done("a");
        one.done("b");
        assertEquals(List.of("a", "b"), handed, "b handed out once");
        one.checkInvariants();
    }

    @Test
    void aKeyBeingProcessedIsNotHandedOutAgainUntilDone() {
        queue.add("a");
        queue.add("a");
        assertEquals(List.of("a"), handed);
        queue.done("a");
        assertEquals(List.of("a", "a"), handed, "the add during processing re-queues it after done");
        queue.done("a");
        assertEquals(2, handed.size());
        queue.checkInvariants();
    }

    @Test
    void atMostMaxInFlightKeysAreProcessed() {
        queue.add("a");
        queue.add("b");
        queue.add("c");
        assertEquals(List.of("a", "b"), handed);
        assertEquals(2, queue.inFlight());
        assertEquals(1, queue.queued());
        queue.done("b");
        assertEquals(List.of("a", "b", "c"), handed);
        queue.checkInvariants();
    }

    @Test
    void addAfterKeepsTheEarliestDelay() {
        queue.addAfter("a", 5000);
        queue.addAfter("a", 1000);
        queue.addAfter("a", 3000);
        loop.advance(999);
        assertEquals(List.of(), handed);
        loop.advance(1);
        assertEquals(List.of("a"), handed);
        queue.done("a");
        loop.advance(10_000);
        assertEquals(List.of("a"), handed, "the superseded delays do not fire");
    }
}
