package io.starling.runtime.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeDaemonEndpoints;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Quantity;
import io.starling.core.exec.Cancellable;
import io.starling.core.exec.EventLoop;
import io.starling.dht.kube.KubeJson;
import io.starling.dht.kube.ObjectClient;
import io.starling.dht.kube.Resources;
import io.starling.dht.kube.StarlingLabels;
import io.starling.dht.store.ObjectKey;
import io.starling.dht.store.Precondition;
import io.starling.dht.store.StoreException;
import io.starling.dht.store.Versioned;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Registers this node's Node object and keeps the node alive: the Node (labels, capacity,
 * addresses, nodeInfo, kubelet endpoint, Ready condition) is created or merged at start; the Lease
 * {@code kube-node-lease/<node>} is created then renewed every {@code leaseRenewMillis} with
 * compare-and-set writes (a 409 re-reads and retries on the next tick).
 *
 * <p>As the kubelet since Kubernetes 1.17, the Lease is the liveness signal: the Node's status is
 * computed every {@code nodeStatusUpdateMillis} but written only when it differs from the stored
 * one in more than the Ready heartbeat time (an annotation changed, someone else set Ready to
 * Unknown, the Node was deleted) or {@code nodeStatusReportMillis} have passed since our last
 * write. A Node write is replicated to every site and wakes every Node informer, so an unchanged
 * status every 10 s would be most of a large cluster's control-plane traffic.
 *
 * <p>The Lease is written as plain JSON through the store: the shared fabric8 mapper has no
 * java.time support, and LeaseSpec's MicroTime fields are ZonedDateTime in the model.
 */
final class NodeRegistrar {
    private static final Logger LOG = Logger.getLogger(NodeRegistrar.class.getName());
    static final String LEASE_NAMESPACE = "kube-node-lease";
    static final String KUBELET_VERSION = "v1.32.0-starling";
    private static final DateTimeFormatter MICRO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final NodeAgentConfig cfg;
    private final ObjectClient client;
    private final EventLoop loop;
    private final String runtimeVersion;
    private final int agentPort;
    private final TreeMap<String, String> dynamicAnnotations = new TreeMap<>();
    private Cancellable leaseTask = Cancellable.NONE;
    private Cancellable nodeTask = Cancellable.NONE;
    private Versioned lease;
    private boolean leaseInFlight;
    private boolean nodeInFlight;
    private boolean nodeDirty;
    /** Monotonic time of our last successful Node write; MIN_VALUE until the first. */
    private long lastReportMonoMillis = Long.MIN_VALUE;
    private long nodeWrites;
    private boolean closed;

    NodeRegistrar(NodeAgentConfig cfg, ObjectClient client, EventLoop loop, String runtimeVersion, int agentPort) {
        this.cfg = cfg;
        this.client = client;
        this.loop = loop;
        this.runtimeVersion = runtimeVersion;
        this.agentPort = agentPort;
    }

    void start() {
        updateNode(0);
        leaseTask = loop.scheduleAtFixedRate(0, cfg.leaseRenewMillis(), this::renewLease);
        nodeTask = loop.scheduleAtFixedRate(cfg.nodeStatusUpdateMillis(), cfg.nodeStatusUpdateMillis(), () -> updateNode(0));
    }

    /** Sets (or with null removes) an annotation on the Node, e.g. Vivaldi coordinates; written soon. */
    void setAnnotation(String key, String value) {
        if (value == null) {
            dynamicAnnotations.remove(key);
        } else {
            dynamicAnnotations.put(key, value);
        }
        updateNode(0);
    }

    // ---- Node ----

    private void updateNode(int attempt) {
        if (closed) {
            return;
        }
        if (nodeInFlight) {
            nodeDirty = true;
            return;
        }
        nodeInFlight = true;
        nodeDirty = false;
        long startedMillis = loop.clock().monoMillis();
        boolean reportDue = lastReportMonoMillis == Long.MIN_VALUE
                || startedMillis - lastReportMonoMillis >= cfg.nodeStatusReportMillis();
        client.get(Node.class, "", cfg.nodeName()).thenCompose(existing -> {
            Node desired = merge(existing.orElse(null));
            if (existing.isPresent() && !reportDue && sameExceptHeartbeat(existing.get(), desired)) {
                return java.util.concurrent.CompletableFuture.completedFuture(false);
            }
            return (existing.isPresent() ? client.update(desired) : client.create(desired)).thenApply(n -> true);
        }).whenComplete((written, err) -> loop.execute(() -> {
            nodeInFlight = false;
            if (err == null && written) {
                lastReportMonoMillis = startedMillis;
                nodeWrites++;
            }
            if (err != null) {
                StoreException se = storeCause(err);
                boolean retry = se != null && (se.reason() == StoreException.Reason.CONFLICT
                        || se.reason() == StoreException.Reason.ALREADY_EXISTS) && attempt < cfg.maxStatusWriteRetries();
                if (retry) {
                    updateNode(attempt + 1);
                    return;
                }
                LOG.log(Level.FINE, "node status update failed: " + err.getMessage());
            }
            if (nodeDirty) {
                updateNode(0);
            }
        }));
    }

    /** Whether the two Nodes differ only in the Ready condition's lastHeartbeatTime. */
    static boolean sameExceptHeartbeat(Node stored, Node desired) {
        return withoutHeartbeats(stored).equals(withoutHeartbeats(desired));
    }

    private static com.fasterxml.jackson.databind.JsonNode withoutHeartbeats(Node n) {
        com.fasterxml.jackson.databind.JsonNode tree = KubeJson.MAPPER.valueToTree(n);
        com.fasterxml.jackson.databind.JsonNode conds = tree.path("status").path("conditions");
        for (com.fasterxml.jackson.databind.JsonNode c : conds) {
            if (c instanceof ObjectNode o) {
                o.remove("lastHeartbeatTime");
            }
        }
        return tree;
    }

    /** Node writes that succeeded so far (status reports and annotation changes; for tests). Call on the loop. */
    long nodeWrites() {
        return nodeWrites;
    }

    /** The desired Node: our labels, annotations and status merged over what is stored. */
    Node merge(Node existing) {
        Node n = existing != null ? KubeJson.copy(existing, Node.class) : new Node();
        if (n.getMetadata() == null) {
            n.setMetadata(new ObjectMeta());
        }
        ObjectMeta m = n.getMetadata();
        m.setName(cfg.nodeName());
        Map<String, String> labels = m.getLabels() == null ? new TreeMap<>() : new TreeMap<>(m.getLabels());
        labels.put("kubernetes.io/hostname", cfg.nodeName());
        labels.put("kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", arch());
        labels.put(StarlingLabels.SITE, cfg.site());
        labels.put(StarlingLabels.ROLE, cfg.role().label());
        labels.putAll(cfg.extraLabels());
        m.setLabels(labels);
        Map<String, String> ann = m.getAnnotations() == null ? new TreeMap<>() : new TreeMap<>(m.getAnnotations());
        ann.putAll(cfg.extraAnnotations());
        ann.putAll(dynamicAnnotations);
        m.setAnnotations(ann.isEmpty() ? null : ann);

        NodeStatus st = new NodeStatus();
        Map<String, Quantity> cap = new TreeMap<>();
        cap.put("cpu", new Quantity(cfg.cpuMillis() % 1000 == 0 ? Long.toString(cfg.cpuMillis() / 1000) : cfg.cpuMillis() + "m"));
        cap.put("memory", new Quantity(Long.toString(cfg.memoryBytes())));
        cap.put("pods", new Quantity(Integer.toString(cfg.maxPods())));
        st.setCapacity(cap);
        st.setAllocatable(new TreeMap<>(cap));
        String now = Instant.ofEpochMilli(loop.clock().wallMillis()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        NodeCondition ready = new NodeCondition();
        ready.setType("Ready");
        ready.setStatus("True");
        ready.setReason("KubeletReady");
        ready.setMessage("starling node agent is posting ready status");
        ready.setLastHeartbeatTime(now);
        NodeCondition old = existing == null || existing.getStatus() == null || existing.getStatus().getConditions() == null ? null
                : existing.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
        ready.setLastTransitionTime(old != null && "True".equals(old.getStatus()) && old.getLastTransitionTime() != null
                ? old.getLastTransitionTime() : now);
        List<NodeCondition> conds = new ArrayList<>();
        conds.add(ready);
        st.setConditions(conds);
        st.setAddresses(List.of(new NodeAddress(cfg.internalIP(), "InternalIP"), new NodeAddress(cfg.nodeName(), "Hostname")));
        NodeSystemInfo info = new NodeSystemInfo();
        info.setKubeletVersion(KUBELET_VERSION);
        info.setKubeProxyVersion("");
        info.setContainerRuntimeVersion(runtimeVersion);
        info.setOperatingSystem("linux");
        info.setArchitecture(arch());
        info.setKernelVersion(System.getProperty("os.version", ""));
        info.setOsImage(System.getProperty("os.name", "Linux"));
        info.setMachineID("");
        info.setSystemUUID("");
        info.setBootID("");
        st.setNodeInfo(info);
        NodeDaemonEndpoints ep = new NodeDaemonEndpoints();
        ep.setKubeletEndpoint(new io.fabric8.kubernetes.api.model.DaemonEndpoint(agentPort));
        st.setDaemonEndpoints(ep);
        n.setStatus(st);
        return n;
    }

    static String arch() {
        String a = System.getProperty("os.arch", "");
        return switch (a) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> a;
        };
    }

    // ---- Lease ----

    private void renewLease() {
        if (closed || leaseInFlight) {
            return;
        }
        leaseInFlight = true;
        ObjectKey key = client.keyOf(Resources.LEASES, LEASE_NAMESPACE, cfg.nodeName());
        Versioned known = lease;
        byte[] body = leaseJson(known);
        Precondition p = known == null ? Precondition.MUST_NOT_EXIST : Precondition.revisionEquals(known.revision());
        client.store().put(key, body, p).whenComplete((written, err) -> loop.execute(() -> {
            leaseInFlight = false;
            if (err == null) {
                lease = written;
                return;
            }
            StoreException se = storeCause(err);
            if (se != null && se.reason() != StoreException.Reason.UNAVAILABLE) {
                // CONFLICT / ALREADY_EXISTS / NOT_FOUND: re-read, renew on the next tick.
                client.store().get(key).whenComplete((cur, e2) -> loop.execute(() -> {
                    if (e2 == null) {
                        lease = cur.orElse(null);
                    }
                }));
            } else {
                LOG.log(Level.FINE, "lease renew failed: " + err.getMessage());
            }
        }));
    }

    private byte[] leaseJson(Versioned known) {
        ObjectNode lease = known != null ? (ObjectNode) readTree(known.value()) : KubeJson.MAPPER.createObjectNode();
        lease.put("apiVersion", Resources.LEASES.apiVersion());
        lease.put("kind", "Lease");
        ObjectNode meta = lease.has("metadata") ? (ObjectNode) lease.get("metadata") : lease.putObject("metadata");
        meta.put("name", cfg.nodeName());
        meta.put("namespace", LEASE_NAMESPACE);
        meta.remove("resourceVersion");
        long wall = loop.clock().wallMillis();
        if (!meta.has("uid")) {
            meta.put("uid", client.newUid());
            meta.put("creationTimestamp", Instant.ofEpochMilli(wall).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        }
        ObjectNode spec = lease.has("spec") ? (ObjectNode) lease.get("spec") : lease.putObject("spec");
        spec.put("holderIdentity", cfg.nodeName());
        spec.put("leaseDurationSeconds", cfg.leaseDurationSeconds());
        spec.put("renewTime", MICRO.format(Instant.ofEpochMilli(wall)));
        return KubeJson.toBytes(lease);
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(byte[] b) {
        try {
            return KubeJson.MAPPER.readTree(b);
        } catch (java.io.IOException e) {
            return KubeJson.MAPPER.createObjectNode();
        }
    }

    static StoreException storeCause(Throwable t) {
        Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return c instanceof StoreException se ? se : null;
    }

    void close() {
        closed = true;
        leaseTask.cancel();
        nodeTask.cancel();
    }
}
