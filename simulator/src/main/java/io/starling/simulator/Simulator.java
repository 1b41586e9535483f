package io.starling.simulator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.starling.core.hlc.HybridClock;
import io.starling.core.net.NodeId;
import io.starling.core.net.PeerAddress;
import io.starling.core.random.RandomSource;
import io.starling.core.random.SeededRandom;
import io.starling.core.sim.SimEventLoop;
import io.starling.core.sim.SimNetwork;
import io.starling.core.sim.SizeEstimator;
import io.starling.core.sim.Simulation;
import io.starling.dht.kube.ObjectClient;
import io.starling.dht.kube.Resources;
import io.starling.dht.kube.StarlingLabels;
import io.starling.dht.node.DhtConfig;
import io.starling.dht.storage.MemoryRecordStorage;
import io.starling.dht.store.Watch;
import io.starling.dht.store.WatchEvent;
import io.starling.dht.testkit.DigestRecordSignatures;
import io.starling.dht.testkit.SimDhtCluster;
import io.starling.runtime.backend.ContainerInfo;
import io.starling.simulator.metrics.PodTimeline;
import io.starling.simulator.scenario.Plan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Builds the cluster a {@link Plan} describes from production classes over one simulated network
 * and runs it on virtual time: super-peers form the DHT first (their join time is not part of the
 * measured phase), then the edge peers start and the scenario's events run relative to t0.
 *
 * <p>Everything random is derived from the one seed by name ({@code random.derive("...")}), every
 * collection that drives a decision is sorted, and only the caller's progress callback sees wall
 * time, so a plan and a seed give one {@link SimulationResult}, byte for byte.
 */
public final class Simulator {
    /** Called between slices of virtual time; the only place a caller may look at wall time. */
    @FunctionalInterface
    public interface Progress {
        void update(long virtualDoneMillis, long virtualTotalMillis, long events);
    }

    static final long SLICE_MILLIS = 1_000;
    static final long SAMPLE_MILLIS = 10_000;
    static final long JOIN_MAX_MILLIS = 60_000;
    static final long FINAL_CHECK_MAX_MILLIS = 120_000;
    static final int CONVERGENCE_KEYS = 20;

    private final Plan plan;
    private final long seed;
    private final RandomSource random;
    private final SiteLatency latency;
    private final SimDhtCluster cluster;
    private final Simulation sim;
    private final SimNetwork net;
    private final SimEventLoop driver;
    private final Map<Integer, SuperPeer> superByIndex = new TreeMap<>();
    private final Map<String, List<SuperPeer>> supersBySite = new TreeMap<>();
    private final List<EdgePeer> edges = new ArrayList<>();
    private final Map<String, String> nodeSite = new TreeMap<>();
    private final Map<String, Integer> edgesInSite = new TreeMap<>();
    private final Recorder rec;
    private final RandomSource workRandom;
    private final RandomSource churnRandom;
    private final RandomSource probeRandom;
    private String pendingSite;
    private int pendingIndexInSite;
    private Path dataDir;
    private long t0;
    private int nextEdgeIndex;
    private int probeSeq;

    public Simulator(Plan plan, long seed) {
        this.plan = plan;
        this.seed = seed;
        this.random = new SeededRandom(seed).derive("simulator");
        this.latency = new SiteLatency(plan);
        // a super-peer's disk survives its crash: a restart finds its records again, as with MVStore
        Map<Integer, MemoryRecordStorage> disks = new TreeMap<>();
        this.cluster = new SimDhtCluster(seed, DhtConfig.defaults(), latency)
                .storage(i -> disks.computeIfAbsent(i, k -> new MemoryRecordStorage()))
                .signatures(DigestRecordSignatures.INSTANCE); // same verify path, no Ed25519 per record
        this.sim = cluster.sim();
        // bytes per peer and the bandwidth model need real sizes, not a constant per message
        this.net = cluster.network().sizeEstimator(SizeEstimator.RECORDS);
        this.driver = sim.newLoop("driver");
        this.rec = new Recorder(plan);
        this.workRandom = random.derive("workload");
        this.churnRandom = random.derive("churn");
        this.probeRandom = random.derive("probes");
        sim.rethrowFailures(false);
        cluster.onStart(p -> {
            SuperPeer sp = superByIndex.get(p.index);
            if (sp == null) {
                sp = new SuperPeer(p, pendingSite, pendingIndexInSite);
                superByIndex.put(p.index, sp);
                supersBySite.computeIfAbsent(pendingSite, s -> new ArrayList<>()).add(sp);
            }
            sp.onNodeStarted(random);
        });
    }

    public SimulationResult run(Progress progress) {
        try {
            dataDir = Files.createTempDirectory("starling-sim-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the node agents", e);
        }
        try {
            return runIn(progress);
        } finally {
            deleteTree(dataDir);
        }
    }

    private SimulationResult runIn(Progress progress) {
        formDht();
        net.lossProbability(plan.links().loss());
        net.uplinkMbps(plan.links().bandwidthMbps());
        seedNamespaces();
        for (SuperPeer sp : superByIndex.values()) {
            sp.startServices(random);
        }
        t0 = sim.nowMillis();
        rec.start(t0, net);
        for (Plan.SitePlan s : plan.sites()) {
            for (int i = 0; i < s.edgePeers(); i++) {
                addEdge(s);
            }
        }
        startObservers();
        scheduleScenario();
        long end = t0 + plan.durationMillis() + plan.settleMillis();
        long total = end - t0;
        while (sim.nowMillis() < end) {
            sim.run(Math.min(end, sim.nowMillis() + SLICE_MILLIS));
            if (progress != null) {
                progress.update(sim.nowMillis() - t0, total, sim.executedEvents());
            }
        }
        finalChecks();
        return rec.result(this);
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }

    // ---- building ------------------------------------------------------------------------------

    private void formDht() {
        RandomSource r = random.derive("bootstrap");
        List<SimDhtCluster.Peer> joined = new ArrayList<>();
        for (Plan.SitePlan s : plan.sites()) {
            for (int i = 0; i < s.superPeers(); i++) {
                pendingSite = s.name();
                pendingIndexInSite = i;
                SimDhtCluster.Peer p = cluster.addPeer(s.name());
                if (!joined.isEmpty()) {
                    List<SimDhtCluster.Peer> seeds = new ArrayList<>();
                    for (int k = 0; k < Math.min(3, joined.size()); k++) {
                        seeds.add(joined.get(r.nextInt(joined.size())));
                    }
                    cluster.join(p, seeds, JOIN_MAX_MILLIS);
                }
                joined.add(p);
            }
        }
    }

    private void seedNamespaces() {
        SuperPeer first = superByIndex.get(0);
        List<CompletableFuture<?>> fs = new ArrayList<>();
        for (String ns : List.of("default", "kube-system", "kube-node-lease")) {
            Namespace n = new NamespaceBuilder().withNewMetadata().withName(ns)
                    .addToAnnotations(StarlingLabels.HOME_SITE, first.site).endMetadata().build();
            CompletableFuture<Object> f = new CompletableFuture<>();
            first.peer.loop.execute(() -> first.client.create(n).whenComplete((v, e) -> f.complete(null)));
            fs.add(f);
        }
        sim.runUntil(() -> fs.stream().allMatch(CompletableFuture::isDone), JOIN_MAX_MILLIS);
    }

    private EdgePeer addEdge(Plan.SitePlan s) {
        List<SuperPeer> sps = supersBySite.get(s.name());
        int index = nextEdgeIndex++;
        List<PeerAddress> order = new ArrayList<>();
        // spread edge peers over the site's super-peers; fail over in a fixed rotation
        for (int k = 0; k < sps.size(); k++) {
            order.add(sps.get((index + k) % sps.size()).peer.contact.address());
        }
        try {
            Plan.EdgeCapacity cap = s.edgeCapacity(edgesInSite.merge(s.name(), 1, Integer::sum) - 1);
            EdgePeer e = new EdgePeer(index, s.name(), cap.cpuMillis(), cap.memoryMiB(), cap.pods(), order, sim, net, random, dataDir);
            edges.add(e);
            nodeSite.put(e.nodeName, s.name());
            rec.peerRole(e.transport.localAddress(), "edge");
            return e;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting an edge peer", ex);
        }
    }

    // ---- scenario events ------------------------------------------------------------------------

    private void at(long scenarioMillis, Runnable r) {
        driver.schedule(Math.max(0, t0 + scenarioMillis - sim.nowMillis()), r);
    }

    private void scheduleScenario() {
        for (Plan.WorkPlan w : plan.workload()) {
            if (w.atMillis() <= plan.durationMillis()) { // the settle time is for settling: a create at its end
                at(w.atMillis(), () -> createWorkload(w)); // would be read back before it could replicate
            }
        }
        for (Plan.PartitionPlan p : plan.partitions()) {
            at(p.atMillis(), () -> setCut(p, true));
            if (p.healMillis() < Long.MAX_VALUE) {
                at(p.healMillis(), () -> {
                    setCut(p, false);
                    rec.healed(p, sim.nowMillis() - t0);
                    checkConvergence(p, sim.nowMillis());
                });
            }
        }
        for (Plan.CrashPlan c : plan.superPeerCrashes()) {
            SuperPeer sp = supersBySite.get(c.site()).get(c.index());
            at(c.atMillis(), () -> {
                if (sp.up()) {
                    cluster.crash(sp.peer);
                    rec.event("super-peer-crash", sp.site);
                }
            });
            if (c.restartAtMillis() >= 0) {
                at(c.restartAtMillis(), () -> {
                    if (!sp.up()) {
                        restartSuper(sp);
                    }
                });
            }
        }
        Plan.ChurnPlan churn = plan.churn();
        if (churn.crashPerPeerMillis() + churn.leavePerPeerMillis() > 0) {
            at(churn.startMillis(), this::nextDeparture);
        }
        if (churn.joinPerMillis() > 0) {
            at(churn.startMillis(), this::nextJoin);
        }
        if (plan.probes().lookupsPerMinute() > 0) {
            at(0, this::lookupProbe);
        }
        if (plan.probes().writesPerMinute() > 0) {
            at(0, this::writeProbe);
        }
        for (long t = 0; t <= plan.durationMillis() + plan.settleMillis(); t += SAMPLE_MILLIS) {
            at(t, () -> rec.sample(sim.nowMillis() - t0, liveEdges(), liveSupers(), net));
        }
    }

    private void restartSuper(SuperPeer sp) {
        List<SimDhtCluster.Peer> seeds = new ArrayList<>();
        for (SuperPeer o : superByIndex.values()) {
            if (o.up() && seeds.size() < 3) {
                seeds.add(o.peer);
            }
        }
        // inside an event: bootstrap asynchronously (SimDhtCluster.restart would nest the event loop)
        cluster.restartAsync(sp.peer, seeds);
        sp.startServices(random);
        rec.event("super-peer-restart", sp.site);
    }

    private void setCut(Plan.PartitionPlan p, boolean cut) {
        for (Plan.SitePlan a : plan.sites()) {
            if (!p.sites().contains(a.name())) {
                continue;
            }
            for (Plan.SitePlan b : plan.sites()) {
                if (!p.sites().contains(b.name())) {
                    if (cut) {
                        net.cutSites(a.name(), b.name());
                    } else {
                        net.healSites(a.name(), b.name());
                    }
                }
            }
        }
        rec.event(cut ? "partition" : "heal", String.join("+", p.sites()));
    }

    private List<EdgePeer> liveEdgeList() {
        List<EdgePeer> out = new ArrayList<>();
        for (EdgePeer e : edges) {
            if (e.up) {
                out.add(e);
            }
        }
        return out;
    }

    private int liveEdges() {
        return liveEdgeList().size();
    }

    private int liveSupers() {
        int n = 0;
        for (SuperPeer sp : superByIndex.values()) {
            n += sp.up() ? 1 : 0;
        }
        return n;
    }

    private long exponential(RandomSource r, double ratePerMilli) {
        double u = r.nextDouble();
        return Math.max(1, Math.round(-Math.log(1 - u) / ratePerMilli));
    }

    private void nextDeparture() {
        Plan.ChurnPlan c = plan.churn();
        List<EdgePeer> live = liveEdgeList();
        double rate = (c.crashPerPeerMillis() + c.leavePerPeerMillis()) * Math.max(1, live.size());
        driver.schedule(exponential(churnRandom, rate), () -> {
            if (sim.nowMillis() - t0 > c.endMillis()) {
                return;
            }
            List<EdgePeer> now = liveEdgeList();
            if (!now.isEmpty()) {
                EdgePeer victim = now.get(churnRandom.nextInt(now.size()));
                boolean crash = churnRandom.nextDouble() * (c.crashPerPeerMillis() + c.leavePerPeerMillis()) < c.crashPerPeerMillis();
                if (crash) {
                    victim.crash(net);
                    rec.event("edge-crash", victim.site);
                } else {
                    victim.leave(net);
                    rec.event("edge-leave", victim.site);
                }
            }
            nextDeparture();
        });
    }

    private void nextJoin() {
        Plan.ChurnPlan c = plan.churn();
        driver.schedule(exponential(churnRandom, c.joinPerMillis()), () -> {
            if (sim.nowMillis() - t0 > c.endMillis()) {
                return;
            }
            Plan.SitePlan s = plan.sites().get(churnRandom.nextInt(plan.sites().size()));
            addEdge(s);
            rec.event("edge-join", s.name());
            nextJoin();
        });
    }

    /** A live super-peer of {@code site} chosen at random, or null. */
    private SuperPeer gateway(String site, RandomSource r) {
        List<SuperPeer> live = new ArrayList<>();
        for (SuperPeer sp : supersBySite.getOrDefault(site, List.of())) {
            if (sp.up()) {
                live.add(sp);
            }
        }
        return live.isEmpty() ? null : live.get(r.nextInt(live.size()));
    }

    private SuperPeer anyLiveSuper(RandomSource r) {
        List<SuperPeer> live = new ArrayList<>();
        for (SuperPeer sp : superByIndex.values()) {
            if (sp.up()) {
                live.add(sp);
            }
        }
        return live.isEmpty() ? null : live.get(r.nextInt(live.size()));
    }

    /** Runs {@code op} on the super-peer's loop (as its API gateway would) and hands the outcome to {@code done} there. */
    private static <T> void onPeer(SuperPeer sp, Supplier<CompletableFuture<T>> op, java.util.function.BiConsumer<T, Throwable> done) {
        sp.peer.loop.execute(() -> {
            CompletableFuture<T> f;
            try {
                f = op.get();
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            f.whenComplete(done);
        });
    }

    private void createWorkload(Plan.WorkPlan w) {
        SuperPeer gw = gateway(w.usersSite(), workRandom);
        if (gw == null) {
            rec.workloadRejected(w);
            return;
        }
        Container c = new ContainerBuilder().withName("app").withImage("busybox:1").withCommand("sleep", "1000000")
                .withNewResources()
                .addToRequests("cpu", new Quantity(w.cpuMillis() + "m"))
                .addToRequests("memory", new Quantity(w.memoryMiB() + "Mi"))
                .endResources().build();
        String users = "site:" + w.usersSite();
        HasMetadata obj;
        if (w.kind().equals("Pod")) {
            obj = new PodBuilder().withNewMetadata().withName(w.name()).withNamespace("default")
                    .addToAnnotations(StarlingLabels.HOME_SITE, w.usersSite()).addToAnnotations(StarlingLabels.USERS, users)
                    .endMetadata().withNewSpec().withContainers(c).endSpec().withNewStatus().withPhase("Pending").endStatus().build();
        } else {
            obj = new DeploymentBuilder().withNewMetadata().withName(w.name()).withNamespace("default")
                    .addToAnnotations(StarlingLabels.HOME_SITE, w.usersSite()).endMetadata()
                    .withNewSpec().withReplicas(w.replicas())
                    .withNewSelector().addToMatchLabels("app", w.name()).endSelector()
                    .withNewTemplate().withNewMetadata().addToLabels("app", w.name()).addToAnnotations(StarlingLabels.USERS, users)
                    .endMetadata().withNewSpec().withContainers(c).endSpec().endTemplate()
                    .endSpec().build();
        }
        String key = w.kind() + "/default/" + w.name();
        long issued = sim.nowMillis() - t0;
        onPeer(gw, () -> gw.client.create(obj), (v, e) -> {
            if (e == null) {
                rec.acknowledged(key, w.usersSite(), issued, sim.nowMillis() - t0, true);
            } else {
                rec.workloadFailed(w, e);
            }
        });
    }

    private void writeProbe() {
        long period = Math.max(1, Math.round(60_000 / plan.probes().writesPerMinute()));
        driver.schedule(period, () -> {
            if (sim.nowMillis() - t0 > plan.durationMillis()) {
                return;
            }
            SuperPeer sp = anyLiveSuper(probeRandom);
            if (sp != null) {
                int n = probeSeq++;
                String name = "probe-" + n;
                ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("default")
                        .addToAnnotations(StarlingLabels.HOME_SITE, sp.site).endMetadata().addToData("n", Integer.toString(n)).build();
                long issued = sim.nowMillis() - t0;
                onPeer(sp, () -> sp.client.create(cm), (v, e) -> {
                    if (e == null) {
                        rec.acknowledged("ConfigMap/default/" + name, sp.site, issued, sim.nowMillis() - t0, false);
                    } else {
                        rec.probeWriteFailed();
                    }
                });
            }
            writeProbe();
        });
    }

    private void lookupProbe() {
        long period = Math.max(1, Math.round(60_000 / plan.probes().lookupsPerMinute()));
        driver.schedule(period, () -> {
            if (sim.nowMillis() - t0 > plan.durationMillis()) {
                return;
            }
            SuperPeer origin = anyLiveSuper(probeRandom);
            if (origin != null) {
                byte[] b = new byte[NodeId.BYTES];
                probeRandom.nextBytes(b);
                NodeId target = NodeId.of(b);
                long started = sim.nowMillis();
                onPeer(origin, () -> origin.peer.node.lookup(target), (r, e) -> {
                    NodeId truth = trueClosest(target, origin.peer.id());
                    boolean ok = e == null && r != null && !r.closest().isEmpty() && truth != null
                            && r.closest().get(0).id().equals(truth);
                    rec.lookup(started - t0, e == null ? r.hops() : -1, sim.nowMillis() - started, ok);
                });
            }
            lookupProbe();
        });
    }

    /** Ground truth: the live super-peer closest to {@code target} other than {@code exclude}. */
    private NodeId trueClosest(NodeId target, NodeId exclude) {
        NodeId best = null;
        for (SuperPeer sp : superByIndex.values()) {
            NodeId id = sp.peer.id();
            if (sp.up() && !id.equals(exclude) && (best == null || target.compareDistance(id, best) < 0)) {
                best = id;
            }
        }
        return best;
    }

    // ---- observation ----------------------------------------------------------------------------

    private void startObservers() {
        java.util.TreeSet<String> sites = new java.util.TreeSet<>();
        for (Plan.WorkPlan w : plan.workload()) {
            sites.add(w.usersSite());
        }
        for (String site : sites) {
            SuperPeer sp = supersBySite.get(site).get(0);
            sp.peer.loop.execute(() -> watchPods(sp, site));
        }
    }

    private void watchPods(SuperPeer sp, String site) {
        String mine = "site:" + site;
        Watch[] holder = new Watch[1];
        holder[0] = sp.client.watch(Pod.class, "default", 0, (type, pod) -> {
            Map<String, String> ann = pod.getMetadata().getAnnotations();
            if (ann == null || !mine.equals(ann.get(StarlingLabels.USERS))) {
                return;
            }
            long rev = Long.parseLong(pod.getMetadata().getResourceVersion());
            long revMs = HybridClock.millisOf(rev) - sim.clock().wallMillis() + sim.nowMillis() - t0;
            String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            rec.podEvent(site, pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName(), pod.getMetadata().getUid(),
                    type == WatchEvent.Type.ADDED, type == WatchEvent.Type.DELETED, revMs, node, node == null ? "" : nodeSite.getOrDefault(node, "?"),
                    phase, sim.nowMillis() - t0);
        });
    }

    private void checkConvergence(Plan.PartitionPlan p, long healedAt) {
        List<Recorder.Ack> during = rec.acksBetween(p.atMillis(), p.healMillis(), CONVERGENCE_KEYS);
        if (during.isEmpty()) {
            rec.converged(p, 0);
            return;
        }
        pollConvergence(p, healedAt, during, 0);
    }

    private void pollConvergence(Plan.PartitionPlan p, long healedAt, List<Recorder.Ack> keys, int round) {
        driver.schedule(round == 0 ? 0 : 1_000, () -> {
            if (sim.nowMillis() - healedAt > plan.settleMillis() + plan.durationMillis()) {
                rec.converged(p, -1);
                return;
            }
            List<CompletableFuture<Boolean>> reads = new ArrayList<>();
            for (Recorder.Ack a : keys) {
                boolean inside = p.sites().contains(a.site());
                SuperPeer reader = otherSide(p, inside);
                if (reader == null) {
                    continue;
                }
                CompletableFuture<Boolean> f = new CompletableFuture<>();
                reads.add(f);
                onPeer(reader, () -> reader.store.get(reader.client.keyOf(kind(a.key()), "default", name(a.key()))),
                        (v, e) -> f.complete(e == null && v.isPresent() && !v.get().deleted()));
            }
            CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).whenComplete((x, e) -> {
                boolean all = reads.stream().allMatch(f -> f.getNow(false));
                if (all) {
                    rec.converged(p, sim.nowMillis() - healedAt);
                } else {
                    pollConvergence(p, healedAt, keys, round + 1);
                }
            });
        });
    }

    private SuperPeer otherSide(Plan.PartitionPlan p, boolean writerInside) {
        for (SuperPeer sp : superByIndex.values()) {
            if (sp.up() && p.sites().contains(sp.site) != writerInside) {
                return sp;
            }
        }
        return null;
    }

    static io.starling.dht.kube.ResourceType kind(String key) {
        String k = key.substring(0, key.indexOf('/'));
        return switch (k) {
            case "Deployment" -> Resources.DEPLOYMENTS;
            case "Pod" -> Resources.PODS;
            default -> Resources.CONFIGMAPS;
        };
    }

    static String name(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    /** Reads every acknowledged write back from its own site and from one other site; absent = lost. */
    private void finalChecks() {
        RandomSource r = random.derive("final-check");
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (Recorder.Ack a : rec.acks()) {
            List<SuperPeer> readers = new ArrayList<>();
            SuperPeer own = gateway(a.site(), r);
            if (own != null) {
                readers.add(own);
            }
            SuperPeer other = anyLiveSuper(r);
            if (other != null && other != own) {
                readers.add(other);
            }
            for (SuperPeer reader : readers) {
                CompletableFuture<Void> f = new CompletableFuture<>();
                all.add(f);
                onPeer(reader, () -> reader.store.get(reader.client.keyOf(kind(a.key()), "default", name(a.key()))), (v, e) -> {
                    rec.finalRead(a, e == null ? (v.isPresent() && !v.get().deleted() ? 1 : 0) : -1);
                    f.complete(null);
                });
            }
        }
        sim.runUntil(() -> all.stream().allMatch(CompletableFuture::isDone), FINAL_CHECK_MAX_MILLIS);
        // container start times come from the simulated runtime of each (live or dead) edge peer
        for (EdgePeer e : edges) {
            Map<String, Long> firstStartByContainer = new TreeMap<>();
            for (ContainerInfo c : e.backend.listContainers()) {
                if (c.startedAtNanos() > 0) {
                    firstStartByContainer.merge(c.podUid() + "/" + c.name(), c.startedAtNanos(), Math::min);
                }
            }
            Map<String, Long> podStart = new TreeMap<>();
            firstStartByContainer.forEach((k, v) -> podStart.merge(k.substring(0, k.indexOf('/')), v, Math::max));
            podStart.forEach((uid, nanos) -> rec.containerStarted(uid, nanos / 1_000_000 - sim.clock().wallMillis() + sim.nowMillis() - t0));
        }
        rec.finish(sim.nowMillis() - t0, net, sim);
    }

    // ---- read-only views for the recorder --------------------------------------------------------

    Plan plan() {
        return plan;
    }

    long seed() {
        return seed;
    }

    SiteLatency latency() {
        return latency;
    }

    List<EdgePeer> edges() {
        return edges;
    }

    Map<Integer, SuperPeer> supers() {
        return superByIndex;
    }

    RandomSource random(String name) {
        return random.derive(name);
    }

    /** Pairs of live peers with their current Vivaldi coordinate and site, for the error sample. */
    List<Recorder.Located> locatedPeers() {
        List<Recorder.Located> out = new ArrayList<>();
        for (SuperPeer sp : superByIndex.values()) {
            if (sp.up()) {
                out.add(new Recorder.Located(sp.site, sp.coordinates.vivaldi().local(), "super"));
            }
        }
        for (EdgePeer e : edges) {
            if (e.up) {
                out.add(new Recorder.Located(e.site, e.coordinates.vivaldi().local(), "edge"));
            }
        }
        return out;
    }

    Map<String, String> nodeSites() {
        return nodeSite;
    }
}
