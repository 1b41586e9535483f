package io.starling.scheduler.election;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.starling.core.random.SeededRandom;
import io.starling.dht.kube.ObjectClient;
import io.starling.dht.store.MemoryClusterStore;
import io.starling.scheduler.testing.ManualEventLoop;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeaderElectorTest {
    private final ManualEventLoop loop = new ManualEventLoop();
    private final ObjectClient client = new ObjectClient(new MemoryClusterStore(loop, "s1"), loop.clock(), new SeededRandom(1));
    private final List<String> log = new ArrayList<>();

    private LeaderElector candidate(String id) {
        return new LeaderElector(client, loop, LeaderElectionConfig.of("controllers", "s1", id), new LeaderCallbacks() {
            @Override
            public void onStartedLeading() {
                log.add(id + " started");
            }

            @Override
            public void onStoppedLeading() {
                log.add(id + " stopped");
            }
        });
    }

    @Test
    void exactlyOneLeadsAndAnotherTakesOverWithinTheLeaseDurationAfterACrash() {
        LeaderElector a = candidate("a");
        LeaderElector b = candidate("b");
        a.start();
        loop.advance(100);
        b.start();
        for (int i = 0; i < 30; i++) {
            loop.advance(500);
            assertTrue(a.isLeader() ^ b.isLeader(), "exactly one leader at t=" + loop.nowMillis());
        }
        assertTrue(a.isLeader());
        Lease lease = loop.await(client.get(Lease.class, "kube-system", "starling-controllers-s1")).orElseThrow();
        assertEquals("a", lease.getSpec().getHolderIdentity());
        assertEquals(6, lease.getSpec().getLeaseDurationSeconds());

        a.abandon();
        long crashedAt = loop.nowMillis();
        assertTrue(loop.advanceUntil(b::isLeader, 100, 10_000));
        long failover = loop.nowMillis() - crashedAt;
        assertTrue(failover <= 6_000 + 2_000, "failover took " + failover + " ms");
        assertFalse(a.isLeader());
        assertEquals("b", loop.await(client.get(Lease.class, "kube-system", "starling-controllers-s1")).orElseThrow()
                .getSpec().getHolderIdentity());
        assertEquals(List.of("a started", "a stopped", "b started"), log);
    }

    @Test
    void closeReleasesTheLeaseSoTheOtherTakesOverQuickly() {
        LeaderElector a = candidate("a");
        LeaderElector b = candidate("b");
        a.start();
        loop.advance(10);
        b.start();
        loop.advance(3000);
        assertTrue(a.isLeader());
        a.close();
        long closedAt = loop.nowMillis();
        assertTrue(loop.advanceUntil(b::isLeader, 100, 10_000));
        assertTrue(loop.nowMillis() - closedAt <= 2_100, "released lease taken at next retry");
    }

    @Test
    void aLeaderThatCannotRenewStepsDownBeforeTheOtherMayTakeOver() {
        LeaderElector a = candidate("a");
        a.start();
        loop.advance(100);
        assertTrue(a.isLeader());
        // someone else overwrites the lease (e.g. an operator): a sees another holder and steps down
        Lease l = loop.await(client.get(Lease.class, "kube-system", "starling-controllers-s1")).orElseThrow();
        l.getSpec().setHolderIdentity("intruder");
        loop.await(client.update(l));
        loop.advance(2_100);
        assertFalse(a.isLeader());
        assertEquals(List.of("a started", "a stopped"), log);
    }
}
