package io.starling.runtime.agent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.netty.handler.ssl.SslContext;
import io.starling.core.exec.Cancellable;
import io.starling.core.exec.EventLoop;
import io.starling.dht.kube.KubeJson;
import io.starling.dht.kube.ObjectClient;
import io.starling.dht.kube.Resources;
import io.starling.dht.kube.StarlingLabels;
import io.starling.dht.store.StoreException;
import io.starling.runtime.backend.ContainerBackend;
import io.starling.runtime.backend.ContainerInfo;
import io.starling.runtime.backend.Labels;
import io.starling.runtime.backend.SandboxInfo;
import io.starling.runtime.backend.ExecProcess;
import io.starling.runtime.http.AgentHttpServer;
import io.starling.runtime.http.AgentView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node agent (Starling's kubelet). It talks to the cluster only through an {@link ObjectClient}
 * and runs all its protocol logic on one {@link EventLoop}; blocking runtime work goes to a worker
 * executor and its results are posted back to the loop.
 *
 * <p>Implementation notes:
 * <ul>
 *   <li>{@link PodInformer} keeps the pods bound here; every change enqueues the pod's key
 *       ({@code namespace/name}) in a {@link WorkQueue}. A periodic relist of the backend (PLEG)
 *       enqueues pods whose containers changed state and pods whose sandboxes have no Pod any
 *       more (orphans, after the informer's first full list).</li>
 *   <li>Processing a key: fetch the ConfigMaps/Secrets it references (loop, async), run one
 *       {@link PodSyncer} sync (worker), then on the loop emit Events, write the status with
 *       compare-and-set (409 -> re-read, retry) only if it changed, or delete the Pod object after a
 *       graceful deletion finished; then requeue after what the sync asked (probes, back-off).</li>
 *   <li>The key stays "processing" until its status write finished, so two writes of one pod never
 *       race.</li>
 *   <li>{@link NodeRegistrar} registers the Node and renews the node Lease.</li>
 * </ul>
 */
public final class NodeAgent implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NodeAgent.class.getName());
    /** Poll period of {@code kubectl logs -f}. */
    private static final long FOLLOW_POLL_MILLIS = 200;

    private final NodeAgentConfig cfg;
    private final ObjectClient client;
    private final EventLoop loop;
    private final ContainerBackend backend;
    private final Executor worker;
    private final ExecutorService ownedWorker;
    private final PodSyncer syncer;
    private final EventRecorder recorder;
    private final WorkQueue queue;
    private final PodInformer informer;
    private final ServiceInformer services;
    private final Map<String, PodState> states = new TreeMap<>();
    private NodeRegistrar registrar;
    private AgentHttpServer http;
    private final SslContext httpTls;
    private Cancellable relistTask = Cancellable.NONE;
    private boolean relistInFlight;
    /** Last relist, published for the HTTP threads. */
    private volatile List<ContainerInfo> lastContainers = List.of();
    private Map<String, ContainerInfo.State> lastStates = new HashMap<>();
    private volatile boolean closed;
    private final AtomicInteger syncs = new AtomicInteger();

    public NodeAgent(NodeAgentConfig cfg, ObjectClient client, EventLoop loop, ContainerBackend backend) {
        this(cfg, client, loop, backend, null);
    }

    /**
     * @param worker where blocking runtime calls run; null = a fixed pool of {@code cfg.syncWorkers()}
     *     daemon threads owned (and shut down) by the agent. The simulator passes its own.
     */
    public NodeAgent(NodeAgentConfig cfg, ObjectClient client, EventLoop loop, ContainerBackend backend, Executor worker) {
        this(cfg, client, loop, backend, worker, null);
    }

    /**
     * @param httpTls server TLS context of the HTTP API ({@link io.starling.runtime.http.AgentTls#server}:
     *     mutual TLS, super-peers only); null = plain HTTP without authentication (in-process tests)
     */
    public NodeAgent(NodeAgentConfig cfg, ObjectClient client, EventLoop loop, ContainerBackend backend, Executor worker,
                     SslContext httpTls) {
        this.cfg = cfg;
        this.httpTls = httpTls;
        this.client = client;
        this.loop = loop;
        this.backend = backend;
        if (worker == null) {
            AtomicInteger n = new AtomicInteger();
            this.ownedWorker = Executors.newFixedThreadPool(cfg.syncWorkers(), r -> {
                Thread t = new Thread(r, "starling-agent-worker-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            this.worker = ownedWorker;
        } else {
            this.ownedWorker = null;
            this.worker = worker;
        }
        this.syncer = new PodSyncer(cfg, backend, loop.clock());
        this.recorder = new EventRecorder(client, cfg.nodeName());
        this.queue = new WorkQueue(loop, cfg.syncWorkers(), this::process);
        this.informer = new PodInformer(client, loop, cfg.nodeName(), cfg.initialBackoffMillis(), queue::add);
        this.services = new ServiceInformer(client, loop, cfg.initialBackoffMillis());
    }

    /** Binds the HTTP API (if agentPort >= 0), then registers the node and starts watching pods. */
    public void start() throws InterruptedException {
        int port = cfg.agentPort();
        if (cfg.agentPort() >= 0) {
            http = new AgentHttpServer(cfg.internalIP(), cfg.agentPort(), new View(), loop.clock(), FOLLOW_POLL_MILLIS, httpTls);
            port = http.port();
        }
        registrar = new NodeRegistrar(cfg, client, loop, backend.version(), Math.max(0, port));
        loop.execute(() -> {
            registrar.start();
            informer.start();
            relistTask = loop.scheduleAtFixedRate(0, cfg.relistMillis(), this::relist);
        });
    }

    /** Port of the HTTP API (useful with agentPort 0), or -1 when disabled. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    public NodeAgentConfig config() {
        return cfg;
    }

    /** Publishes new Vivaldi coordinates ({@link StarlingLabels#COORDINATES}) on the Node. */
    public void updateCoordinates(String annotation) {
        loop.execute(() -> {
            if (registrar != null) {
                registrar.setAnnotation(StarlingLabels.COORDINATES, annotation);
            }
        });
    }

    /** Number of pod syncs run so far (for tests and benchmarks). */
    public int syncCount() {
        return syncs.get();
    }

    // ---- PLEG ----

    private void relist() {
        if (closed || relistInFlight) {
            return;
        }
        relistInFlight = true;
        worker.execute(() -> {
            List<ContainerInfo> cs;
            List<SandboxInfo> sbs;
            try {
                String node = cfg.nodeName();
                cs = backend.listContainers().stream().filter(c -> node.equals(c.labels().get(Labels.NODE))).toList();
                sbs = backend.listSandboxes().stream().filter(s -> node.equals(s.labels().get(Labels.NODE))).toList();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "relist failed", e);
                loop.execute(() -> relistInFlight = false);
                return;
            }
            loop.execute(() -> onRelist(cs, sbs));
        });
    }

    private void onRelist(List<ContainerInfo> cs, List<SandboxInfo> sbs) {
        relistInFlight = false;
        lastContainers = List.copyOf(cs);
        Map<String, ContainerInfo.State> now = new HashMap<>();
        TreeSet<String> changed = new TreeSet<>();
        for (ContainerInfo c : cs) {
            now.put(c.id(), c.state());
            if (lastStates.get(c.id()) != c.state()) {
                changed.add(keyOf(c.labels()));
            }
        }
        for (String id : lastStates.keySet()) {
            if (!now.containsKey(id)) {
                changed.add("");
            }
        }
        lastStates = now;
        if (informer.synced()) {
            for (SandboxInfo s : sbs) {
                Pod p = informer.get(s.namespace() + "/" + s.podName());
                if (p == null || !s.podUid().equals(p.getMetadata().getUid())) {
                    changed.add(s.namespace() + "/" + s.podName());
                }
            }
        }
        changed.remove("");
        changed.remove("/");
        changed.forEach(queue::add);
    }

    private static String keyOf(Map<String, String> labels) {
        String ns = labels.get(Labels.POD_NAMESPACE);
        String name = labels.get(Labels.POD_NAME);
        return ns == null || name == null ? "" : ns + "/" + name;
    }

    // ---- reconcile ----

    private void process(String key) {
        if (closed) {
            return;
        }
        try {
            startSync(key);
        } catch (RuntimeException e) {
            // A pod we cannot handle must never stop the agent: report and retry later.
            LOG.log(Level.WARNING, "cannot sync " + key, e);
            finish(key, cfg.initialBackoffMillis());
        }
    }

    private void startSync(String key) {
        Pod pod = informer.get(key);
        PodState state = null;
        if (pod != null) {
            String uid = pod.getMetadata().getUid();
            state = states.get(key);
            if (state == null || !state.uid.equals(uid)) {
                state = new PodState(uid);
                states.put(key, state);
            }
        }
        PodState st = state;
        fetchInputs(key, pod).whenComplete((inputs, err) -> loop.execute(() -> {
            if (err != null) {
                LOG.log(Level.FINE, "cannot read inputs of " + key, err);
                finish(key, cfg.initialBackoffMillis());
                return;
            }
            worker.execute(() -> {
                PodSyncer.Result r;
                try {
                    syncs.incrementAndGet();
                    r = syncer.sync(inputs, st == null ? new PodState("") : st);
                } catch (RuntimeException e) {
                    if (closed) {
                        return;
                    }
                    LOG.log(Level.WARNING, "sync of " + key + " failed", e);
                    loop.execute(() -> finish(key, cfg.initialBackoffMillis()));
                    return;
                }
                loop.execute(() -> apply(key, inputs, r));
            });
        }));
    }

    private CompletableFuture<PodInputs> fetchInputs(String key, Pod pod) {
        if (pod == null) {
            return CompletableFuture.completedFuture(new PodInputs(key, null, Map.of(), Map.of()));
        }
        String ns = pod.getMetadata().getNamespace();
        References refs = References.of(pod);
        Map<String, CompletableFuture<Optional<ConfigMap>>> cms = new TreeMap<>();
        Map<String, CompletableFuture<Optional<Secret>>> secrets = new TreeMap<>();
        refs.configMaps().forEach(n -> cms.put(n, client.get(ConfigMap.class, ns, n)));
        refs.secrets().forEach(n -> secrets.put(n, client.get(Secret.class, ns, n)));
        CompletableFuture<List<Service>> services = servicesFor(pod);
        List<CompletableFuture<?>> all = new ArrayList<>(cms.values());
        all.addAll(secrets.values());
        all.add(services);
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(x -> {
            Map<String, ConfigMap> cm = new TreeMap<>();
            cms.forEach((n, f) -> f.join().ifPresent(v -> cm.put(n, v)));
            Map<String, Secret> sec = new TreeMap<>();
            secrets.forEach((n, f) -> f.join().ifPresent(v -> sec.put(n, v)));
            return new PodInputs(key, pod, cm, sec, services.join());
        });
    }

    /**
     * The Services a pod's containers get variables for ({@link ServiceEnv}): its namespace's
     * (unless enableServiceLinks is false) and default/kubernetes, from the {@link ServiceInformer}
     * cache. A namespace's first list failing fails the sync, which is retried, as the kubelet does
     * not start a container without them. Runs on the loop; the result is read on the loop.
     */
    private CompletableFuture<List<Service>> servicesFor(Pod pod) {
        String ns = pod.getMetadata().getNamespace();
        boolean links = pod.getSpec() == null || !Boolean.FALSE.equals(pod.getSpec().getEnableServiceLinks());
        CompletableFuture<Void> own = links ? services.ready(ns) : CompletableFuture.completedFuture(null);
        CompletableFuture<Void> master = services.ready(ServiceEnv.MASTER_NAMESPACE);
        return own.thenCombine(master, (a, b) -> {
            List<Service> out = new ArrayList<>(links ? services.list(ns) : List.of());
            if (!links || !ServiceEnv.MASTER_NAMESPACE.equals(ns)) {
                services.get(ServiceEnv.MASTER_NAMESPACE, ServiceEnv.MASTER_SERVICE).ifPresent(out::add);
            }
            return out;
        });
    }

    private void apply(String key, PodInputs inputs, PodSyncer.Result r) {
        long wall = loop.clock().wallMillis();
        String ns = inputs.namespace();
        String name = inputs.name();
        for (EventSpec e : r.events()) {
            recorder.record(ns, name, r.uid() != null ? r.uid() : "", e, wall);
        }
        if (r.finalizeDelete()) {
            states.remove(key);
            client.delete(Resources.PODS, ns, name).whenComplete((ok, err) -> loop.execute(() -> finish(key, 0)));
            return;
        }
        if (inputs.pod() == null) {
            states.remove(key);
            finish(key, 0);
            return;
        }
        if (r.status() == null) {
            finish(key, r.requeueAfterMillis());
            return;
        }
        writeStatus(key, r.uid(), r.status(), informer.get(key), 0, r.requeueAfterMillis());
    }

    /** Writes {@code status} onto the pod with compare-and-set, re-reading on 409. */
    private void writeStatus(String key, String uid, PodStatus status, Pod base, int attempt, long requeue) {
        if (closed || base == null || !uid.equals(base.getMetadata().getUid())) {
            finish(key, requeue);
            return;
        }
        if (base.getStatus() != null && Arrays.equals(KubeJson.toBytes(base.getStatus()), KubeJson.toBytes(status))) {
            finish(key, requeue);
            return;
        }
        Pod copy = KubeJson.copy(base, Pod.class);
        copy.setStatus(status);
        client.update(copy).whenComplete((updated, err) -> loop.execute(() -> {
            if (err == null) {
                informer.updateLocal(updated);
                finish(key, requeue);
                return;
            }
            StoreException se = NodeRegistrar.storeCause(err);
            if (se != null && se.reason() == StoreException.Reason.CONFLICT && attempt < cfg.maxStatusWriteRetries()) {
                client.get(Pod.class, base.getMetadata().getNamespace(), base.getMetadata().getName())
                        .whenComplete((fresh, e2) -> loop.execute(() ->
                                writeStatus(key, uid, status, e2 == null ? fresh.orElse(null) : null, attempt + 1, requeue)));
                return;
            }
            if (se == null || se.reason() != StoreException.Reason.NOT_FOUND) {
                LOG.log(Level.FINE, "status write of " + key + " failed: " + err.getMessage());
            }
            finish(key, requeue == 0 ? cfg.initialBackoffMillis() : requeue);
        }));
    }

    private void finish(String key, long requeueAfterMillis) {
        queue.done(key);
        if (requeueAfterMillis > 0) {
            queue.addAfter(key, requeueAfterMillis);
        }
    }

    // ---- HTTP view ----

    private final class View implements AgentView {
        @Override
        public Optional<LogTarget> logTarget(String namespace, String pod, String container, boolean previous) {
            List<ContainerInfo> all = lastContainers.stream()
                    .filter(c -> namespace.equals(c.labels().get(Labels.POD_NAMESPACE)) && pod.equals(c.labels().get(Labels.POD_NAME)))
                    .toList();
            String name = container;
            if (name == null || name.isEmpty()) {
                TreeSet<String> names = new TreeSet<>();
                all.stream().filter(c -> !"init".equals(c.labels().get(Labels.CONTAINER_KIND))).forEach(c -> names.add(c.name()));
                if (names.size() != 1) {
                    return Optional.empty();
                }
                name = names.first();
            }
            String n = name;
            // Newest sandbox first, then newest attempt.
            List<ContainerInfo> mine = all.stream().filter(c -> c.name().equals(n))
                    .sorted(Comparator.comparingLong(ContainerInfo::createdAtNanos).reversed()).toList();
            int index = previous ? 1 : 0;
            if (mine.size() <= index) {
                return Optional.empty();
            }
            ContainerInfo c = mine.get(index);
            if (previous && c.state() != ContainerInfo.State.EXITED) {
                return Optional.empty();
            }
            String id = c.id();
            return Optional.of(new LogTarget(c.logPath(), () -> lastContainers.stream()
                    .anyMatch(x -> x.id().equals(id) && x.state() == ContainerInfo.State.RUNNING)));
        }

        @Override
        public Optional<String> runningContainer(String namespace, String pod, String container) {
            List<ContainerInfo> running = lastContainers.stream()
                    .filter(c -> namespace.equals(c.labels().get(Labels.POD_NAMESPACE)) && pod.equals(c.labels().get(Labels.POD_NAME)))
                    .filter(c -> c.state() == ContainerInfo.State.RUNNING && !"init".equals(c.labels().get(Labels.CONTAINER_KIND)))
                    .sorted(Comparator.comparingLong(ContainerInfo::createdAtNanos).reversed())
                    .toList();
            if (container == null || container.isEmpty()) {
                TreeSet<String> names = new TreeSet<>();
                running.forEach(c -> names.add(c.name()));
                return names.size() == 1 ? Optional.of(running.get(0).id()) : Optional.empty();
            }
            return running.stream().filter(c -> c.name().equals(container)).map(ContainerInfo::id).findFirst();
        }

        @Override
        public ExecProcess startExec(String containerId, List<String> command, boolean stdin, boolean tty) {
            return backend.startExec(containerId, command, stdin, tty);
        }

        @Override
        public CompletableFuture<byte[]> podsJson() {
            CompletableFuture<byte[]> f = new CompletableFuture<>();
            loop.execute(() -> {
                PodList list = new PodList();
                list.setApiVersion("v1");
                list.setKind("PodList");
                List<Pod> items = new ArrayList<>();
                for (String k : informer.keys()) {
                    items.add(informer.get(k));
                }
                list.setItems(items);
                f.complete(KubeJson.toBytes(list));
            });
            return f;
        }
    }

    /**
     * Stops the agent's own activity (watches, timers, HTTP API, workers). Pods keep running: a new
     * agent on the same backend adopts them.
     */
    @Override
    public void close() {
        closed = true;
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        loop.execute(() -> {
            relistTask.cancel();
            queue.shutDown();
            informer.close();
            services.close();
            if (registrar != null) {
                registrar.close();
            }
            stopped.complete(null);
        });
        if (!loop.inEventLoop()) {
            try {
                stopped.get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                // the loop is gone already
            }
        }
        if (http != null) {
            http.close();
        }
        if (ownedWorker != null) {
            ownedWorker.shutdownNow();
        }
    }
}
