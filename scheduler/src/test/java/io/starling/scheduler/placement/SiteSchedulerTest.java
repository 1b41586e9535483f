package io.starling.scheduler.placement;

import static io.starling.scheduler.placement.Fixtures.k8sNode;
import static io.starling.scheduler.placement.Fixtures.k8sPod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.starling.core.exec.ThreadEventLoop;
import io.starling.core.random.SeededRandom;
import io.starling.dht.kube.ObjectClient;
import io.starling.dht.kube.StarlingLabels;
import io.starling.dht.store.MemoryClusterStore;
import io.starling.scheduler.spill.SiteSummary;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SiteSchedulerTest {
    private ThreadEventLoop loop;
    private ObjectClient client;
    private SiteScheduler a;
    private SiteScheduler b;

    @BeforeEach
    void setUp() {
        loop = new ThreadEventLoop("scheduler-test");
        client = new ObjectClient(new MemoryClusterStore(loop, "A"), loop.clock(), new SeededRandom(42));
        client.create(new NamespaceBuilder().withNewMetadata().withName("apps").endMetadata().build()).join();
    }

    @AfterEach
    void tearDown() {
        for (SiteScheduler s : new SiteScheduler[] {a, b}) {
            if (s != null) {
                java.util.concurrent.CompletableFuture.runAsync(s::checkInvariants, loop).join();
            }
        }
        if (a != null) {
            a.stop();
        }
        if (b != null) {
            b.stop();
        }
        loop.close();
    }

    private SiteScheduler start(String site) {
        SiteScheduler s = new SiteScheduler(SchedulerConfig.forSite(site).withIntervals(200, 50), client, loop);
        s.start();
        return s;
    }

    @Test
    void bindsPodsHomedInItsSiteOntoItsNodes() {
        client.create(k8sNode("a1", "A", "2", "4Gi", 0, 0)).join();
        client.create(k8sNode("a2", "A", "2", "4Gi", 1, 0)).join();
        client.create(k8sNode("b1", "B", "64", "64Gi", 100, 0)).join();
        a = start("A");
        for (int i = 0; i < 4; i++) {
            client.create(k8sPod("apps", "p" + i, "A", "500m", "256Mi")).join();
        }
        client.create(k8sPod("apps", "other", "B", "100m", "1Mi")).join();
        for (int i = 0; i < 4; i++) {
            String name = "p" + i;
            Pod p = await(name + " bound", () -> boundPod("apps", name));
            assertTrue(p.getSpec().getNodeName().startsWith("a"), p.getSpec().getNodeName());
            PodCondition c = podScheduled(p);
            assertEquals("True", c.getStatus());
        }
        List<Event> events = client.list(Event.class, "apps").join();
        assertTrue(events.stream().anyMatch(e -> "Scheduled".equals(e.getReason())
                && e.getMessage().startsWith("Successfully assigned apps/p0 to a")), events.toString());
        assertNull(client.get(Pod.class, "apps", "other").join().get().getSpec().getNodeName(), "pods of site B are not A's");
        // 2 nodes x 2 cpu: four 500m pods are spread, two per node (balance breaks the proximity tie)
        long onA1 = client.list(Pod.class, "apps").join().stream().filter(p -> "a1".equals(p.getSpec().getNodeName())).count();
        assertEquals(2, onA1);
    }

    @Test
    void unschedulablePodGetsConditionAndIsBoundWhenCapacityAppears() {
        client.create(k8sNode("a1", "A", "1", "4Gi", 0, 0)).join();
        a = start("A");
        client.create(k8sPod("default", "big", "A", "4", "1Gi")).join();
        Pod marked = await("unschedulable condition", () -> {
            Pod p = client.get(Pod.class, "default", "big").join().orElseThrow();
            PodCondition c = podScheduled(p);
            return c != null && "False".equals(c.getStatus()) ? p : null;
        });
        PodCondition c = podScheduled(marked);
        assertEquals("Unschedulable", c.getReason());
        assertEquals("0/1 nodes are available: 1 Insufficient cpu.", c.getMessage());
        await("FailedScheduling event", () -> client.list(Event.class, "default").join().stream()
                .filter(e -> "FailedScheduling".equals(e.getReason()) && c.getMessage().equals(e.getMessage())).findFirst().orElse(null));
        client.create(k8sNode("a2", "A", "8", "16Gi", 1, 0)).join();
        Pod bound = await("bound after a node appears", () -> boundPod("default", "big"));
        assertEquals("a2", bound.getSpec().getNodeName());
        assertEquals("True", podScheduled(bound).getStatus());
    }

    @Test
    void spillsToTheNearestSiteWithCapacity() {
        client.create(k8sNode("a1", "A", "1", "1Gi", 0, 0)).join();
        client.create(k8sNode("b1", "B", "8", "16Gi", 30, 0)).join();
        client.create(k8sNode("c1", "C", "8", "16Gi", 200, 0)).join();
        a = start("A");
        b = start("B");
        SiteScheduler c = start("C");
        try {
            await("summaries of B and C", () -> {
                List<String> names = client.list(io.fabric8.kubernetes.api.model.ConfigMap.class, SiteSummary.NAMESPACE).join()
                        .stream().map(cm -> cm.getMetadata().getName()).toList();
                return names.contains("starling-site-B") && names.contains("starling-site-C") ? names : null;
            });
            client.create(k8sPod("apps", "web", "A", "2", "1Gi")).join();
            Pod bound = await("bound in B", () -> boundPod("apps", "web"));
            assertEquals("b1", bound.getSpec().getNodeName());
            assertEquals("B", bound.getMetadata().getAnnotations().get(PodMutations.SPILLED_TO));
            assertEquals("A", bound.getMetadata().getAnnotations().get(StarlingLabels.HOME_SITE));
            Event spilled = await("SpilledToSite event", () -> client.list(Event.class, "apps").join().stream()
                    .filter(e -> "SpilledToSite".equals(e.getReason())).findFirst().orElse(null));
            assertTrue(spilled.getMessage().contains("spilled to site B"), spilled.getMessage());
            assertTrue(spilled.getMessage().contains("Insufficient cpu"), spilled.getMessage());
        } finally {
            c.stop();
        }
    }

    @Test
    void usersAnnotationPullsThePodToTheNodeNearestTheUsers() {
        client.create(k8sNode("a1", "A", "4", "4Gi", 0, 0)).join();
        client.create(k8sNode("a2", "A", "4", "4Gi", 40, 0)).join();
        a = start("A");
        Pod p = k8sPod("apps", "near-users", "A", "100m", "10Mi");
        p.getMetadata().getAnnotations().put(StarlingLabels.USERS, "coords:45,0,0");
        client.create(p).join();
        assertEquals("a2", await("bound", () -> boundPod("apps", "near-users")).getSpec().getNodeName());
    }

    @Test
    void stopsSchedulingAfterStop() {
        client.create(k8sNode("a1", "A", "4", "4Gi", 0, 0)).join();
        a = start("A");
        client.create(k8sPod("apps", "first", "A", "100m", "10Mi")).join();
        await("first bound", () -> boundPod("apps", "first"));
        a.stop();
        client.create(k8sPod("apps", "second", "A", "100m", "10Mi")).join();
        SiteScheduler again = start("A");
        a = again;
        await("second bound by the restarted scheduler", () -> boundPod("apps", "second"));
    }

    @Test
    void aRejectedSpillComesBackAndWaitsForLocalCapacity() {
        client.create(k8sNode("a1", "A", "1", "1Gi", 0, 0)).join();
        client.create(k8sNode("b1", "B", "1", "1Gi", 30, 0)).join();
        // a stale picture of B claiming room it does not have
        SiteSummary lie = new SiteSummary("B", new ResourceAmounts(64_000, 64L << 30, 100), 64_000, 64L << 30, 1,
                io.starling.scheduler.vivaldi.Coordinate.of2d(30, 0, 1), loop.clock().wallMillis());
        client.create(lie.toConfigMap()).join();
        a = start("A");
        b = new SiteScheduler(SchedulerConfig.forSite("B").withIntervals(200, 600_000), client, loop);
        b.start();
        client.create(k8sPod("apps", "web", "A", "2", "512Mi")).join();
        Pod parked = await("back home, unschedulable, B remembered", () -> {
            Pod p = client.get(Pod.class, "apps", "web").join().orElseThrow();
            PodCondition c = podScheduled(p);
            boolean rejected = p.getMetadata().getAnnotations().getOrDefault(PodMutations.SPILL_REJECTED, "").startsWith("B@");
            return rejected && PodMutations.spilledTo(p) == null && c != null
                    && "0/1 nodes are available: 1 Insufficient cpu.".equals(c.getMessage()) ? p : null;
        });
        assertNull(parked.getSpec().getNodeName());
        await("SpillRejected event", () -> client.list(Event.class, "apps").join().stream()
                .filter(e -> "SpillRejected".equals(e.getReason())).findFirst().orElse(null));
        client.create(k8sNode("a2", "A", "4", "4Gi", 1, 0)).join();
        assertEquals("a2", await("bound at home", () -> boundPod("apps", "web")).getSpec().getNodeName());
    }

    @Test
    void aPodSpilledToASiteThatNeverBindsItIsTakenBack() {
        client.create(k8sNode("a1", "A", "1", "1Gi", 0, 0)).join();
        SiteSummary b = new SiteSummary("B", new ResourceAmounts(64_000, 64L << 30, 100), 64_000, 64L << 30, 1,
                io.starling.scheduler.vivaldi.Coordinate.of2d(30, 0, 1), loop.clock().wallMillis());
        client.create(b.toConfigMap()).join(); // B looks roomy, but no scheduler runs there
        a = new SiteScheduler(SchedulerConfig.forSite("A").withIntervals(100, 50).withSpillTimeout(300), client, loop);
        a.start();
        client.create(k8sPod("apps", "web", "A", "2", "512Mi")).join();
        await("spilled to B", () -> "B".equals(PodMutations.spilledTo(client.get(Pod.class, "apps", "web").join().orElseThrow()))
                ? true : null);
        Pod back = await("taken back", () -> {
            Pod p = client.get(Pod.class, "apps", "web").join().orElseThrow();
            return PodMutations.spilledTo(p) == null && PodMutations.rejectedSites(p).containsKey("B") ? p : null;
        });
        assertNull(back.getSpec().getNodeName());
        await("SpillReclaimed event", () -> client.list(Event.class, "apps").join().stream()
                .filter(e -> "SpillReclaimed".equals(e.getReason())).findFirst().orElse(null));
        client.create(k8sNode("a2", "A", "4", "4Gi", 1, 0)).join();
        assertEquals("a2", await("bound at home", () -> boundPod("apps", "web")).getSpec().getNodeName());
    }

    @Test
    void podsWithoutHomeSiteAreAdoptedOnlyWhenConfigured() {
        client.create(k8sNode("a1", "A", "4", "4Gi", 0, 0)).join();
        a = new SiteScheduler(SchedulerConfig.forSite("A").withIntervals(200, 50).withAdoptPodsWithoutHomeSite(true), client, loop);
        a.start();
        Pod p = k8sPod("apps", "homeless", "A", "100m", "10Mi");
        p.getMetadata().getAnnotations().remove(StarlingLabels.HOME_SITE);
        client.create(p).join();
        assertEquals("a1", await("bound", () -> boundPod("apps", "homeless")).getSpec().getNodeName());
    }

    @Test
    void aConcurrentWriteCausesA409AndTheBindIsRetriedOnTheFreshPod() {
        loop.close();
        loop = new ThreadEventLoop("scheduler-test-2");
        MemoryClusterStore memory = new MemoryClusterStore(loop, "A");
        ConflictingStore store = new ConflictingStore(memory);
        client = new ObjectClient(store, loop.clock(), new SeededRandom(7));
        client.create(new NamespaceBuilder().withNewMetadata().withName("apps").endMetadata().build()).join();
        client.create(k8sNode("a1", "A", "2", "2Gi", 0, 0)).join();
        a = start("A");
        store.interfereWithNextPodWrite();
        client.create(k8sPod("apps", "web", "A", "100m", "10Mi")).join();
        assertEquals("a1", await("bound despite the conflict", () -> boundPod("apps", "web")).getSpec().getNodeName());
        assertTrue(store.conflictsCaused() >= 1, "the test did cause a 409");
    }

    /** Delegating store whose next pod write is preceded by another writer's update (so it gets 409). */
    static final class ConflictingStore implements io.starling.dht.store.ClusterStore {
        private final io.starling.dht.store.ClusterStore delegate;
        private final java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
        private final java.util.concurrent.atomic.AtomicInteger conflicts = new java.util.concurrent.atomic.AtomicInteger();

        ConflictingStore(io.starling.dht.store.ClusterStore delegate) {
            this.delegate = delegate;
        }

        void interfereWithNextPodWrite() {
            armed.set(true);
        }

        int conflictsCaused() {
            return conflicts.get();
        }

        @Override
        public java.util.concurrent.CompletableFuture<Optional<io.starling.dht.store.Versioned>> get(io.starling.dht.store.ObjectKey key) {
            return delegate.get(key);
        }

        @Override
        public java.util.concurrent.CompletableFuture<io.starling.dht.store.ListResult> list(io.starling.dht.store.CollectionKey c) {
            return delegate.list(c);
        }

        @Override
        public java.util.concurrent.CompletableFuture<io.starling.dht.store.Versioned> put(io.starling.dht.store.ObjectKey key, byte[] value,
                                                                                          io.starling.dht.store.Precondition p) {
            boolean podUpdate = key.collection().resource().equals("pods")
                    && p.kind() == io.starling.dht.store.Precondition.Kind.REVISION_EQUALS;
            if (podUpdate && armed.compareAndSet(true, false)) {
                return delegate.get(key)
                        .thenCompose(cur -> delegate.put(key, cur.orElseThrow().value(), io.starling.dht.store.Precondition.NONE))
                        .thenCompose(x -> delegate.put(key, value, p))
                        .whenComplete((v, e) -> {
                            if (e != null) {
                                conflicts.incrementAndGet();
                            }
                        });
            }
            return delegate.put(key, value, p);
        }

        @Override
        public java.util.concurrent.CompletableFuture<io.starling.dht.store.Versioned> delete(io.starling.dht.store.ObjectKey key,
                                                                                             io.starling.dht.store.Precondition p) {
            return delegate.delete(key, p);
        }

        @Override
        public io.starling.dht.store.Watch watch(io.starling.dht.store.CollectionKey c, long fromRevision,
                                                 io.starling.dht.store.WatchListener listener) {
            return delegate.watch(c, fromRevision, listener);
        }
    }

    private Pod boundPod(String ns, String name) {
        Optional<Pod> p = client.get(Pod.class, ns, name).join();
        return p.isPresent() && p.get().getSpec().getNodeName() != null ? p.get() : null;
    }

    private static PodCondition podScheduled(Pod p) {
        if (p.getStatus() == null || p.getStatus().getConditions() == null) {
            return null;
        }
        return p.getStatus().getConditions().stream().filter(c -> "PodScheduled".equals(c.getType())).findFirst().orElse(null);
    }

    /** Polls until {@code probe} returns non-null (asynchronous store + loop); fails after 10 s. */
    private static <T> T await(String what, Supplier<T> probe) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            T v = probe.get();
            if (v != null) {
                return v;
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        fail("timed out waiting for " + what);
        return null;
    }
}
