package io.starling.scheduler.placement;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.starling.core.exec.Cancellable;
import io.starling.core.exec.EventLoop;
import io.starling.dht.kube.ObjectClient;
import io.starling.dht.kube.Resources;
import io.starling.dht.kube.StarlingLabels;
import io.starling.dht.store.CollectionKey;
import io.starling.dht.store.StoreException;
import io.starling.dht.store.Watch;
import io.starling.dht.store.WatchEvent;
import io.starling.dht.store.WatchListener;
import io.starling.scheduler.spill.SiteSummary;
import io.starling.scheduler.spill.SpillPlanner;
import io.starling.scheduler.vivaldi.Coordinate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The scheduler of one site: keeps a cache of nodes, pods and site summaries from list+watch,
 * places pods homed in (or spilled to) its site one at a time through {@link Placement}, and binds
 * them with a compare-and-set update of the Pod (spec.nodeName + PodScheduled=True).
 *
 * <p>Everything runs on the given event loop; store callbacks hop back onto it, and an epoch
 * number discards callbacks that outlive a {@link #stop()}. Pods wait in a de-duplicating FIFO of
 * keys (the cache holds the current object). A pod no node fits is marked PodScheduled=False
 * (written only when the message changes, so a retry that fails the same way writes nothing) and
 * parked until a node or a bound pod changes, or the periodic resync; if spill-over is on, it is
 * first offered to the nearest other site whose published summary has room. A spilled pod that the
 * target site cannot place is handed back with the rejection remembered for a while.
 *
 * <p>Leader election is not here: the site's elected leader calls start(), and stop() on losing.
 */
public final class SiteScheduler {
    private static final Logger LOG = Logger.getLogger(SiteScheduler.class.getName());

    private final SchedulerConfig config;
    private final ObjectClient client;
    private final EventLoop loop;
    private final Placement placement;

    private boolean running;
    private int epoch;
    private int pendingInitialLists;
    private boolean inFlight;
    private final Map<String, Watch> watches = new TreeMap<>();
    private final List<Cancellable> timers = new ArrayList<>();
    private final Map<String, NodeInfo> nodeInfos = new TreeMap<>();
    private final Map<String, Pod> pods = new TreeMap<>();
    /** PodInfo of bound pods by key, tagged with the resourceVersion it was read from. */
    private final Map<String, CachedInfo> boundInfos = new TreeMap<>();
    private final Map<String, SiteSummary> summaries = new TreeMap<>();
    private final LinkedHashSet<String> active = new LinkedHashSet<>();
    /** Pods homed here but spilled to another site, with when this scheduler first saw them so. */
    private final Map<String, Long> spilledAwaySince = new TreeMap<>();
    /** Parked pods with the input they failed on (a changed pod is retried at once). */
    private final Map<String, PodInfo> parked = new TreeMap<>();
    private record CachedInfo(String resourceVersion, PodInfo info) {}

    private SiteSummary published;
    private long bindings;

    public SiteScheduler(SchedulerConfig config, ObjectClient client, EventLoop loop) {
        this.config = config;
        this.client = client;
        this.loop = loop;
        this.placement = new Placement(config.placement());
    }

    public SchedulerConfig config() {
        return config;
    }

    /** Starts watching and scheduling (idempotent). Safe to call from any thread. */
    public void start() {
        loop.execute(() -> {
            if (running) {
                return;
            }
            running = true;
            epoch++;
            int myEpoch = epoch;
            pendingInitialLists = 0;
            listAndWatch(Namespace.class, "", myEpoch, this::onNamespace);
            listAndWatch(Node.class, "", myEpoch, this::onNode);
            listAndWatch(ConfigMap.class, SiteSummary.NAMESPACE, myEpoch, this::onConfigMap);
            for (String ns : config.alwaysWatchedNamespaces()) {
                watchPods(ns, myEpoch);
            }
            timers.add(loop.scheduleAtFixedRate(config.resyncIntervalMillis(), config.resyncIntervalMillis(), () -> {
                if (isCurrent(myEpoch)) {
                    reclaimOverdueSpills();
                    unpark();
                }
            }));
            timers.add(loop.scheduleAtFixedRate(config.summaryIntervalMillis(), config.summaryIntervalMillis(), () -> {
                if (isCurrent(myEpoch)) {
                    publishSummary();
                }
            }));
        });
    }

    /** Stops watching and scheduling and drops the caches (idempotent). Safe to call from any thread. */
    public void stop() {
        loop.execute(() -> {
            if (!running) {
                return;
            }
            running = false;
            epoch++;
            watches.values().forEach(Watch::close);
            watches.clear();
            timers.forEach(Cancellable::cancel);
            timers.clear();
            nodeInfos.clear();
            pods.clear();
            boundInfos.clear();
            spilledAwaySince.clear();
            summaries.clear();
            active.clear();
            parked.clear();
            inFlight = false;
        });
    }

    /** For tests and diagnostics; call on the loop. */
    public boolean running() {
        return running;
    }

    /** The summary this scheduler last wrote (call on the loop). */
    public Optional<SiteSummary> publishedSummary() {
        return Optional.ofNullable(published);
    }

    /** Pods bound so far by this instance (call on the loop). */
    public long bindings() {
        return bindings;
    }

    /** Throws when internal bookkeeping is inconsistent (tests call it on the loop). */
    public void checkInvariants() {
        for (String k : active) {
            if (parked.containsKey(k)) {
                throw new IllegalStateException(k + " is both queued and parked");
            }
        }
        for (String k : parked.keySet()) {
            Pod p = pods.get(k);
            if (p == null || nodeName(p) != null) {
                throw new IllegalStateException(k + " is parked but " + (p == null ? "unknown" : "bound"));
            }
        }
        if (!running && (inFlight || !pods.isEmpty() || !watches.isEmpty())) {
            throw new IllegalStateException("stopped scheduler still holds state");
        }
    }

    private boolean isCurrent(int e) {
        return running && epoch == e;
    }

    // ---- list + watch ------------------------------------------------------------------------

    private <T extends HasMetadata> void listAndWatch(Class<T> type, String namespace, int myEpoch,
                                                      BiConsumer<WatchEvent.Type, T> handler) {
        String id = Resources.of(type).resource() + "/" + namespace;
        if (watches.containsKey(id)) {
            return;
        }
        watches.put(id, () -> {}); // placeholder until the list returns
        pendingInitialLists++;
        client.listWithRevision(type, namespace).whenComplete((listed, err) -> loop.execute(() -> {
            if (!isCurrent(myEpoch) || !watches.containsKey(id)) {
                return;
            }
            if (err != null) {
                LOG.log(Level.FINE, "list " + id + " failed, retrying", err);
                watches.remove(id);
                pendingInitialLists--;
                loop.schedule(config.retryDelayMillis(), () -> {
                    if (isCurrent(myEpoch)) {
                        listAndWatch(type, namespace, myEpoch, handler);
                    }
                });
                return;
            }
            for (T obj : listed.items()) {
                handler.accept(WatchEvent.Type.ADDED, obj);
            }
            CollectionKey collection = client.keyOf(Resources.of(type), namespace, "x").collection();
            Watch w = client.store().watch(collection, listed.revision(), new WatchListener() {
                @Override
                public void onEvent(WatchEvent e) {
                    byte[] bytes = e.object().deleted() ? e.previous() : e.object().value();
                    if (bytes == null) {
                        return;
                    }
                    loop.execute(() -> {
                        if (!isCurrent(myEpoch)) {
                            return;
                        }
                        T obj;
                        try {
                            obj = io.starling.dht.kube.KubeJson.fromBytes(bytes, type);
                        } catch (IllegalArgumentException ex) {
                            LOG.fine("undecodable " + id + " object: " + ex.getMessage());
                            return;
                        }
                        obj.getMetadata().setResourceVersion(Long.toString(e.object().revision()));
                        handler.accept(e.type(), obj);
                        pump();
                    });
                }

                @Override
                public void onGone(String why) {
                    loop.execute(() -> {
                        if (isCurrent(myEpoch)) {
                            Watch old = watches.remove(id);
                            if (old != null) {
                                old.close();
                            }
                            listAndWatch(type, namespace, myEpoch, handler);
                        }
                    });
                }
            });
            watches.put(id, w);
            pendingInitialLists--;
            pump();
        }));
    }

    private void watchPods(String namespace, int myEpoch) {
        listAndWatch(Pod.class, namespace, myEpoch, this::onPod);
    }

    private void onNamespace(WatchEvent.Type type, Namespace ns) {
        String name = ns.getMetadata().getName();
        if (type == WatchEvent.Type.DELETED) {
            if (config.alwaysWatchedNamespaces().contains(name)) {
                return;
            }
            Watch w = watches.remove("pods/" + name);
            if (w != null) {
                w.close();
            }
            pods.keySet().removeIf(k -> k.startsWith(name + "/"));
            boundInfos.keySet().removeIf(k -> k.startsWith(name + "/"));
        } else {
            watchPods(name, epoch);
        }
    }

    private void onNode(WatchEvent.Type type, Node node) {
        String name = node.getMetadata().getName();
        NodeInfo before = nodeInfos.get(name);
        if (type == WatchEvent.Type.DELETED) {
            nodeInfos.remove(name);
            unpark();
            return;
        }
        NodeInfo info = NodeInfo.from(node);
        nodeInfos.put(name, info);
        if (!info.sameForScheduling(before)) {
            unpark();
        }
    }

    private void onConfigMap(WatchEvent.Type type, ConfigMap cm) {
        Optional<SiteSummary> s = SiteSummary.fromConfigMap(cm);
        if (s.isEmpty()) {
            return;
        }
        if (type == WatchEvent.Type.DELETED) {
            summaries.remove(s.get().site());
        } else {
            SiteSummary before = summaries.put(s.get().site(), s.get());
            if (!s.get().site().equals(config.site()) && !s.get().sameContent(before)) {
                unpark(); // room may have appeared elsewhere
            }
        }
    }

    private void onPod(WatchEvent.Type type, Pod pod) {
        String key = key(pod);
        Pod before = pods.get(key);
        trackSpilledAway(type, key, pod);
        if (type == WatchEvent.Type.DELETED) {
            pods.remove(key);
            boundInfos.remove(key);
            active.remove(key);
            parked.remove(key);
            if (before != null && nodeName(before) != null) {
                unpark(); // freed capacity
            }
            return;
        }
        if (before != null && !newer(pod, before)) {
            return; // our own write already put a newer version into the cache
        }
        pods.put(key, pod);
        boolean wasBound = before != null && nodeName(before) != null;
        if (nodeName(pod) != null) {
            active.remove(key);
            parked.remove(key);
            if (!wasBound || isTerminal(pod) != isTerminal(before)) {
                unpark(); // placement of others changes (affinity, capacity)
            }
            return;
        }
        if (!mine(pod)) {
            active.remove(key);
            parked.remove(key);
            return;
        }
        PodInfo failedOn = parked.get(key);
        if (failedOn != null && samePodInput(failedOn, pod)) {
            return; // our own unschedulable mark coming back
        }
        parked.remove(key);
        active.add(key);
    }

    // ---- spilled-away pods -------------------------------------------------------------------

    private void trackSpilledAway(WatchEvent.Type type, String key, Pod pod) {
        String to = PodMutations.spilledTo(pod);
        Map<String, String> ann = pod.getMetadata().getAnnotations();
        boolean homedHere = ann != null && config.site().equals(ann.get(StarlingLabels.HOME_SITE));
        if (type != WatchEvent.Type.DELETED && homedHere && nodeName(pod) == null && to != null && !to.isEmpty()
                && !to.equals(config.site())) {
            spilledAwaySince.putIfAbsent(key, loop.clock().monoMillis());
        } else {
            spilledAwaySince.remove(key);
        }
    }

    /** Takes back pods another site has not bound in time (cut off, or no scheduler running there). */
    private void reclaimOverdueSpills() {
        if (inFlight || pendingInitialLists > 0) {
            return; // one write at a time; the next pump or resync continues
        }
        long now = loop.clock().monoMillis();
        for (Map.Entry<String, Long> e : spilledAwaySince.entrySet()) {
            if (now - e.getValue() < config.spillTimeoutMillis()) {
                continue;
            }
            Pod pod = pods.get(e.getKey());
            if (pod == null) {
                continue;
            }
            String to = PodMutations.spilledTo(pod);
            String why = "Site " + to + " did not bind the spilled pod within " + config.spillTimeoutMillis() / 1000
                    + " s; site " + config.site() + " takes it back";
            spilledAwaySince.remove(e.getKey());
            inFlight = true;
            write(pod, PodMutations.spillRejected(pod, to, loop.clock().wallMillis(), why, client.timestamp()), epoch,
                    written -> emit(written, "Warning", "SpillReclaimed", why));
            return; // one write at a time: its completion pumps, which reclaims the next
        }
    }

    // ---- scheduling --------------------------------------------------------------------------

    private void unpark() {
        if (!parked.isEmpty()) {
            active.addAll(parked.keySet());
            parked.clear();
        }
        pump();
    }

    private void pump() {
        while (running && !inFlight && pendingInitialLists == 0 && !active.isEmpty()) {
            String key = active.iterator().next();
            active.remove(key);
            Pod pod = pods.get(key);
            if (pod == null || nodeName(pod) != null || !mine(pod)) {
                continue;
            }
            scheduleOne(pod);
        }
        if (running && !inFlight && active.isEmpty() && !spilledAwaySince.isEmpty()) {
            reclaimOverdueSpills();
        }
    }

    private void scheduleOne(Pod pod) {
        String key = key(pod);
        PodInfo info;
        try {
            info = PodInfo.from(pod);
        } catch (IllegalArgumentException e) {
            markUnschedulable(pod, null, "invalid pod: " + e.getMessage());
            return;
        }
        List<NodeInfo> siteNodes = new ArrayList<>();
        for (NodeInfo n : nodeInfos.values()) {
            if (n.site().equals(config.site())) {
                siteNodes.add(n);
            }
        }
        List<PodInfo> bound = boundPods();
        UsersLocation users = UsersLocation.resolve(info, new ArrayList<>(nodeInfos.values()), centroids());
        Decision d = placement.decide(info, siteNodes, bound, users);
        if (d.scheduled()) {
            bind(pod, d);
            return;
        }
        String spilledTo = PodMutations.spilledTo(pod);
        if (config.site().equals(spilledTo)) {
            rejectSpill(pod, info, d);
            return;
        }
        if (config.spillEnabled()) {
            Coordinate from = users.known() ? users.coordinate() : ownCentroid();
            Set<String> excluded = new TreeSet<>();
            long now = loop.clock().wallMillis();
            PodMutations.rejectedSites(pod).forEach((site, at) -> {
                if (now - at < config.summaryMaxAgeMillis()) {
                    excluded.add(site);
                }
            });
            Optional<SpillPlanner.Choice> choice = SpillPlanner.choose(info.requests(), config.site(), from,
                    summaries.values(), excluded, now, config.summaryMaxAgeMillis());
            if (choice.isPresent()) {
                spill(pod, info, d, choice.get());
                return;
            }
        }
        markUnschedulable(pod, info, d.message());
        LOG.fine(() -> "unschedulable " + key + ": " + d.message());
    }

    private void bind(Pod pod, Decision d) {
        inFlight = true;
        int myEpoch = epoch;
        Pod updated = PodMutations.bound(pod, d.nodeName(), client.timestamp());
        write(pod, updated, myEpoch, written -> {
            bindings++;
            String rtt = Double.isNaN(d.predictedRttMs()) ? ""
                    : String.format(Locale.ROOT, " (predicted RTT to users %.1f ms)", d.predictedRttMs());
            emit(written, "Normal", "Scheduled", "Successfully assigned " + key(pod) + " to " + d.nodeName() + rtt);
        });
    }

    private void markUnschedulable(Pod pod, PodInfo info, String message) {
        String key = key(pod);
        if (info != null) {
            parked.put(key, info);
        }
        if (PodMutations.hasUnschedulable(pod, message)) {
            return; // already says so: no write, no event
        }
        inFlight = true;
        int myEpoch = epoch;
        write(pod, PodMutations.unschedulable(pod, message, client.timestamp()), myEpoch, written -> {
            if (info != null) {
                parked.put(key, PodInfo.from(written));
            }
            emit(written, "Warning", "FailedScheduling", message);
        });
    }

    private void spill(Pod pod, PodInfo info, Decision d, SpillPlanner.Choice choice) {
        inFlight = true;
        int myEpoch = epoch;
        String rtt = Double.isNaN(choice.predictedRttMs()) ? ""
                : String.format(Locale.ROOT, ", predicted RTT %.1f ms", choice.predictedRttMs());
        String why = "No node of site " + config.site() + " fits (" + d.message() + "); spilled to site " + choice.site()
                + ", the nearest with capacity" + rtt + ".";
        write(pod, PodMutations.spilled(pod, choice.site(), why, client.timestamp()), myEpoch,
                written -> emit(written, "Normal", "SpilledToSite", why));
    }

    private void rejectSpill(Pod pod, PodInfo info, Decision d) {
        inFlight = true;
        int myEpoch = epoch;
        String why = "Site " + config.site() + " cannot place the spilled pod: " + d.message();
        write(pod, PodMutations.spillRejected(pod, config.site(), loop.clock().wallMillis(), why, client.timestamp()), myEpoch,
                written -> emit(written, "Warning", "SpillRejected", why));
    }

    /** CAS-updates a pod; on 409 refetches and requeues, on other errors retries after a delay. */
    private void write(Pod original, Pod updated, int myEpoch, java.util.function.Consumer<Pod> onSuccess) {
        String key = key(original);
        client.update(updated).whenComplete((written, err) -> loop.execute(() -> {
            if (!isCurrent(myEpoch)) {
                return;
            }
            inFlight = false;
            if (err == null) {
                Pod cached = pods.get(key);
                if (cached == null || newer(written, cached)) {
                    pods.put(key, written);
                }
                if (nodeName(written) != null || !mine(written)) {
                    parked.remove(key);
                    active.remove(key);
                }
                onSuccess.accept(written);
            } else {
                StoreException se = storeError(err);
                StoreException.Reason reason = se == null ? null : se.reason();
                if (reason == StoreException.Reason.NOT_FOUND) {
                    pods.remove(key);
                    parked.remove(key);
                } else if (reason == StoreException.Reason.CONFLICT) {
                    parked.remove(key);
                    refetch(original, myEpoch);
                } else {
                    LOG.log(Level.FINE, "write of " + key + " failed, retrying", err);
                    parked.remove(key);
                    loop.schedule(config.retryDelayMillis(), () -> {
                        if (isCurrent(myEpoch)) {
                            active.add(key);
                            pump();
                        }
                    });
                }
            }
            pump();
        }));
    }

    private void refetch(Pod pod, int myEpoch) {
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        client.get(Pod.class, ns, name).whenComplete((found, err) -> loop.execute(() -> {
            if (!isCurrent(myEpoch)) {
                return;
            }
            String key = ns + "/" + name;
            if (err != null) {
                loop.schedule(config.retryDelayMillis(), () -> {
                    if (isCurrent(myEpoch)) {
                        active.add(key);
                        pump();
                    }
                });
                return;
            }
            if (found.isEmpty()) {
                pods.remove(key);
            } else {
                Pod cached = pods.get(key);
                if (cached == null || newer(found.get(), cached)) {
                    pods.put(key, found.get());
                }
                active.add(key);
            }
            pump();
        }));
    }

    private void emit(Pod pod, String type, String reason, String message) {
        String suffix = client.newUid().replace("-", "").substring(0, 16);
        client.create(PodMutations.event(pod, type, reason, message, config.site(), suffix, client.timestamp()))
                .whenComplete((ok, err) -> {
                    if (err != null) {
                        LOG.log(Level.FINE, "event " + reason + " for " + key(pod) + " not recorded", err);
                    }
                });
    }

    // ---- site summary ------------------------------------------------------------------------

    private void publishSummary() {
        if (pendingInitialLists > 0) {
            return;
        }
        List<NodeInfo> siteNodes = new ArrayList<>();
        for (NodeInfo n : nodeInfos.values()) {
            if (n.site().equals(config.site())) {
                siteNodes.add(n);
            }
        }
        long now = loop.clock().wallMillis();
        SiteSummary s = SiteSummary.compute(config.site(), siteNodes, boundPods(), now);
        if (published != null && s.sameContent(published) && now - published.updatedAtMillis() < config.summaryRefreshMillis()) {
            return;
        }
        int myEpoch = epoch;
        ConfigMap cm = s.toConfigMap();
        client.get(ConfigMap.class, SiteSummary.NAMESPACE, cm.getMetadata().getName())
                .thenCompose(existing -> {
                    if (existing.isPresent()) {
                        ConfigMap upd = io.starling.dht.kube.KubeJson.copy(existing.get(), ConfigMap.class);
                        upd.setData(cm.getData());
                        upd.getMetadata().setLabels(cm.getMetadata().getLabels());
                        return client.update(upd);
                    }
                    return client.create(cm);
                })
                .whenComplete((ok, err) -> loop.execute(() -> {
                    if (!isCurrent(myEpoch)) {
                        return;
                    }
                    if (err == null) {
                        published = s;
                        summaries.put(config.site(), s);
                    } else {
                        LOG.log(Level.FINE, "publishing the site summary failed; next period retries", err);
                    }
                }));
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** Bound pods as PodInfo; conversions are cached per resourceVersion (quantity parsing is not free). */
    private List<PodInfo> boundPods() {
        List<PodInfo> out = new ArrayList<>();
        for (Map.Entry<String, Pod> e : pods.entrySet()) {
            Pod p = e.getValue();
            if (nodeName(p) == null) {
                continue;
            }
            String rv = p.getMetadata().getResourceVersion();
            CachedInfo cached = boundInfos.get(e.getKey());
            if (cached == null || !java.util.Objects.equals(cached.resourceVersion(), rv)) {
                PodInfo info;
                try {
                    info = PodInfo.from(p);
                } catch (IllegalArgumentException ex) {
                    // a bound pod with unreadable requests still takes a pod slot
                    info = new PodInfo(p.getMetadata().getNamespace(), p.getMetadata().getName(), null, nodeName(p),
                            new ResourceAmounts(0, 0, 1), null, null, null, null, "", isTerminal(p));
                }
                cached = new CachedInfo(rv, info);
                boundInfos.put(e.getKey(), cached);
            }
            out.add(cached.info());
        }
        return out;
    }

    private Map<String, Coordinate> centroids() {
        Map<String, Coordinate> out = new TreeMap<>();
        summaries.forEach((site, s) -> {
            if (s.centroid() != null) {
                out.put(site, s.centroid());
            }
        });
        return out;
    }

    private Coordinate ownCentroid() {
        List<Coordinate> cs = new ArrayList<>();
        for (NodeInfo n : nodeInfos.values()) {
            if (n.site().equals(config.site()) && n.coordinate() != null) {
                cs.add(n.coordinate());
            }
        }
        return Coordinate.centroid(cs);
    }

    /** Whether this site's scheduler is responsible for the (unbound) pod. */
    boolean mine(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null || isTerminal(pod)) {
            return false;
        }
        String schedulerName = pod.getSpec() == null ? null : pod.getSpec().getSchedulerName();
        if (schedulerName != null && !schedulerName.isEmpty() && !config.schedulerNames().contains(schedulerName)) {
            return false;
        }
        String spilledTo = PodMutations.spilledTo(pod);
        if (spilledTo != null && !spilledTo.isEmpty()) {
            return spilledTo.equals(config.site());
        }
        Map<String, String> ann = pod.getMetadata().getAnnotations();
        String home = ann == null ? null : ann.get(StarlingLabels.HOME_SITE);
        if (home == null || home.isEmpty()) {
            return config.adoptPodsWithoutHomeSite();
        }
        return config.site().equals(home);
    }

    private static boolean samePodInput(PodInfo failedOn, Pod pod) {
        try {
            return failedOn.equals(PodInfo.from(pod));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String nodeName(Pod p) {
        String n = p.getSpec() == null ? null : p.getSpec().getNodeName();
        return n == null || n.isEmpty() ? null : n;
    }

    private static boolean isTerminal(Pod p) {
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    private static boolean newer(Pod a, Pod b) {
        return revision(a) >= revision(b);
    }

    private static long revision(Pod p) {
        try {
            return Long.parseLong(p.getMetadata().getResourceVersion());
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static String key(Pod p) {
        return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
    }

    private static StoreException storeError(Throwable t) {
        Throwable c = t;
        while (c instanceof CompletionException || (c != null && c.getCause() != null && !(c instanceof StoreException))) {
            if (c.getCause() == null) {
                break;
            }
            c = c.getCause();
        }
        return c instanceof StoreException se ? se : null;
    }
}
