package io.starling.scheduler.controller.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.starling.core.exec.Cancellable;
import io.starling.dht.kube.KubeJson;
import io.starling.scheduler.controller.ControllerContext;
import io.starling.scheduler.controller.KeyedController;
import io.starling.scheduler.controller.Pods;
import io.starling.scheduler.queue.InformerHandler;
import io.starling.scheduler.queue.ReconcileResult;
import io.starling.scheduler.queue.SharedInformer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Watches the Leases the node agents renew in kube-node-lease (and, as a fallback, the
 * lastHeartbeatTime of the Node's Ready condition). A node of this site whose lease has not changed for
 * the site's node grace period gets Ready=Unknown and the
 * {@code node.kubernetes.io/unreachable:NoExecute} taint (event NodeNotReady); its pods that do not
 * tolerate the taint are deleted outright the site's pod eviction timeout after the taint (or
 * after their own tolerationSeconds), so their ReplicaSets replace them elsewhere. When the lease
 * moves again the taint goes and Ready returns to True; the agent then sees its old pods gone and
 * stops them, so nothing runs twice. Both times are per site ({@link SiteSettings}: a ConfigMap
 * operators edit with kubectl; defaults from {@link io.starling.scheduler.controller.ControllerConfig}).
 *
 * <p>Like client-go, staleness is measured on this controller's monotonic clock from the moment it
 * saw the lease change, never by comparing the agent's renewTime to our clock (skew-free). After a
 * (re)start every node gets a full grace period.
 */
public final class NodeLifecycleController extends KeyedController {
    public static final String UNREACHABLE = "node.kubernetes.io/unreachable";

    private final SharedInformer<Node> nodes;
    private final SharedInformer<Lease> leases;
    private final SharedInformer<Pod> pods;
    private final SiteSettings settings;
    /** node -> (lease version seen, when) and when we saw the taint; lookups only. */
    private final Map<String, Observed> observed = new HashMap<>();
    /**
     * Names of this site's nodes. The periodic check and lease events enqueue only these: every
     * site holds every Node, and enqueueing all of them every second at every site would cost
     * nodes x sites reconciles per second.
     */
    private final java.util.TreeSet<String> mine = new java.util.TreeSet<>();
    private Cancellable monitor = Cancellable.NONE;

    private static final class Observed {
        String leaseVersion;
        long seenAtMillis;
        long taintSeenAtMillis = -1;
    }

    public NodeLifecycleController(ControllerContext ctx) {
        super("node-lifecycle", ctx);
        this.nodes = ctx.informers().of(Node.class);
        this.leases = ctx.informers().nodeLeases();
        this.pods = ctx.informers().of(Pod.class);
        this.settings = new SiteSettings(ctx.informers().kubeSystemConfigMaps(), ctx.cfg());
    }

    @Override
    protected void register() {
        nodes.addHandler(new InformerHandler<>() {
            @Override
            public void onAdd(Node n) {
                track(n);
            }

            @Override
            public void onUpdate(Node old, Node n) {
                track(n);
            }

            @Override
            public void onDelete(Node n) {
                String name = n.getMetadata().getName();
                if (mine.remove(name)) {
                    enqueue(name);
                }
            }
        });
        leases.addHandler(InformerHandler.any(l -> {
            if (mine.contains(l.getMetadata().getName())) {
                enqueue(l.getMetadata().getName());
            }
        }));
        pods.addHandler(InformerHandler.any(p -> {
            if (Pods.isScheduled(p) && mine.contains(p.getSpec().getNodeName())) {
                Node n = nodes.get("", p.getSpec().getNodeName());
                if (n != null && taint(n) != null) {
                    enqueue(n.getMetadata().getName());
                }
            }
        }));
        long period = ctx.cfg().nodeMonitorPeriodMillis();
        monitor = ctx.loop().scheduleAtFixedRate(period, period, () -> List.copyOf(mine).forEach(this::enqueue));
    }

    /** Follows whether a node is of this site; other sites' nodes are never enqueued. */
    private void track(Node n) {
        String name = n.getMetadata().getName();
        if (ctx.home().isMyNode(n)) {
            mine.add(name);
            enqueue(name);
        } else if (mine.remove(name)) {
            enqueue(name); // moved to another site: forget what we observed
        }
    }

    @Override
    public void stop() {
        monitor.cancel();
        super.stop();
    }

    @Override
    protected CompletableFuture<ReconcileResult> reconcile(String name) {
        Node node = nodes.get("", name);
        if (node == null) {
            observed.remove(name);
            return done();
        }
        if (!ctx.home().isMyNode(node)) {
            observed.remove(name);
            return done();
        }
        long now = ctx.nowMonoMillis();
        Observed o = observed.computeIfAbsent(name, k -> {
            Observed x = new Observed();
            x.seenAtMillis = now;
            return x;
        });
        Lease lease = leases.get(io.starling.scheduler.controller.Informers.NODE_LEASE_NAMESPACE, name);
        String renew = lease == null || lease.getSpec() == null || lease.getSpec().getRenewTime() == null ? null
                : lease.getSpec().getRenewTime().toString();
        String heartbeat = heartbeat(node);
        // an agent proves it is alive by renewing its Lease or, failing that, by a new Ready heartbeat
        String version = renew == null && heartbeat == null ? null : renew + "|" + heartbeat;
        if (version != null && !version.equals(o.leaseVersion)) {
            o.leaseVersion = version;
            o.seenAtMillis = now;
        }
        long grace = settings.nodeGracePeriodMillis();
        boolean stale = now - o.seenAtMillis >= grace;
        Taint taint = taint(node);
        if (stale && taint == null) {
            return markUnreachable(node).thenApply(v -> ReconcileResult.after(ctx.cfg().nodeMonitorPeriodMillis()));
        }
        if (!stale && (taint != null || "Unknown".equals(readyStatus(node)))) {
            o.taintSeenAtMillis = -1;
            return markReachable(node).thenApply(v -> ReconcileResult.after(grace - (now - o.seenAtMillis)));
        }
        if (taint != null) {
            if (o.taintSeenAtMillis < 0) {
                long added = Pods.parseMillis(taint.getTimeAdded(), ctx.nowWallMillis());
                o.taintSeenAtMillis = now - Math.max(0, ctx.nowWallMillis() - added);
            }
            return evict(node, now - o.taintSeenAtMillis);
        }
        return CompletableFuture.completedFuture(ReconcileResult.after(Math.max(1, grace - (now - o.seenAtMillis))));
    }

    private static Taint taint(Node node) {
        if (node.getSpec() == null || node.getSpec().getTaints() == null) {
            return null;
        }
        return node.getSpec().getTaints().stream()
                .filter(t -> UNREACHABLE.equals(t.getKey()) && "NoExecute".equals(t.getEffect())).findFirst().orElse(null);
    }

    private static String heartbeat(Node node) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return null;
        }
        return node.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
                .map(NodeCondition::getLastHeartbeatTime).filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    private static String readyStatus(Node node) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return null;
        }
        return node.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
                .map(NodeCondition::getStatus).findFirst().orElse(null);
    }

    private CompletableFuture<Void> markUnreachable(Node node) {
        Node copy = KubeJson.copy(node, Node.class);
        if (copy.getSpec() == null) {
            copy.setSpec(new io.fabric8.kubernetes.api.model.NodeSpec());
        }
        List<Taint> taints = copy.getSpec().getTaints() == null ? new ArrayList<>() : new ArrayList<>(copy.getSpec().getTaints());
        Taint t = new Taint();
        t.setKey(UNREACHABLE);
        t.setEffect("NoExecute");
        t.setTimeAdded(ctx.client().timestamp());
        taints.add(t);
        copy.getSpec().setTaints(taints);
        NodeStatus st = copy.getStatus() == null ? new NodeStatus() : copy.getStatus();
        List<NodeCondition> conds = st.getConditions() == null ? new ArrayList<>() : new ArrayList<>(st.getConditions());
        String now = ctx.client().timestamp();
        boolean hadReady = false;
        for (NodeCondition c : conds) {
            if ("Ready".equals(c.getType())) {
                hadReady = true;
            }
            if (!"Unknown".equals(c.getStatus())) {
                c.setStatus("Unknown");
                c.setReason("NodeStatusUnknown");
                c.setMessage("Node agent stopped renewing its lease.");
                c.setLastTransitionTime(now);
            }
        }
        if (!hadReady) {
            NodeCondition c = new NodeCondition();
            c.setType("Ready");
            c.setStatus("Unknown");
            c.setReason("NodeStatusNeverUpdated");
            c.setMessage("Node agent never renewed its lease.");
            c.setLastTransitionTime(now);
            conds.add(c);
        }
        st.setConditions(conds);
        copy.setStatus(st);
        return ctx.client().update(copy).thenAccept(updated -> ctx.events().normal(updated, "NodeNotReady",
                "Node " + node.getMetadata().getName() + " status is now: NodeNotReady"));
    }

    private CompletableFuture<Void> markReachable(Node node) {
        Node copy = KubeJson.copy(node, Node.class);
        if (copy.getSpec() != null && copy.getSpec().getTaints() != null) {
            List<Taint> taints = new ArrayList<>(copy.getSpec().getTaints());
            taints.removeIf(t -> UNREACHABLE.equals(t.getKey()));
            copy.getSpec().setTaints(taints.isEmpty() ? null : taints);
        }
        if (copy.getStatus() != null && copy.getStatus().getConditions() != null) {
            String now = ctx.client().timestamp();
            for (NodeCondition c : copy.getStatus().getConditions()) {
                if ("Ready".equals(c.getType()) && "Unknown".equals(c.getStatus())) {
                    c.setStatus("True");
                    c.setReason("NodeAgentReady");
                    c.setMessage("Node agent renews its lease again.");
                    c.setLastTransitionTime(now);
                }
            }
        }
        return ctx.client().update(copy).thenAccept(updated -> ctx.events().normal(updated, "NodeReady",
                "Node " + node.getMetadata().getName() + " status is now: NodeReady"));
    }

    /** Deletes pods whose toleration of the taint has run out; wakes up for the next one. */
    private CompletableFuture<ReconcileResult> evict(Node node, long taintedForMillis) {
        String name = node.getMetadata().getName();
        long nextIn = Long.MAX_VALUE;
        List<CompletableFuture<Void>> deletes = new ArrayList<>();
        for (Pod p : pods.list()) {
            if (p.getSpec() == null || !name.equals(p.getSpec().getNodeName())) {
                continue;
            }
            long tolerated = toleratedMillis(p);
            if (tolerated == Long.MAX_VALUE) {
                continue;
            }
            long left = tolerated - taintedForMillis;
            if (left > 0) {
                nextIn = Math.min(nextIn, left);
                continue;
            }
            ctx.events().normal(p, "TaintManagerEviction", "Marking for deletion Pod " + p.getMetadata().getNamespace()
                    + "/" + p.getMetadata().getName());
            ctx.events().normal(p, "Killing", "Deleting pod: node " + name + " is unreachable");
            deletes.add(ctx.pods().forceDelete(p));
        }
        long wake = nextIn == Long.MAX_VALUE ? ctx.cfg().nodeMonitorPeriodMillis() : nextIn;
        return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new))
                .handle((v, e) -> e == null ? ReconcileResult.after(wake) : ReconcileResult.RETRY);
    }

    /** How long the pod tolerates the unreachable taint: forever, its tolerationSeconds, or the site default. */
    private long toleratedMillis(Pod p) {
        List<Toleration> tols = p.getSpec().getTolerations();
        if (tols != null) {
            for (Toleration t : tols) {
                boolean effect = t.getEffect() == null || t.getEffect().isEmpty() || "NoExecute".equals(t.getEffect());
                boolean key = ("Exists".equals(t.getOperator()) && (t.getKey() == null || t.getKey().isEmpty()))
                        || UNREACHABLE.equals(t.getKey());
                if (effect && key) {
                    return t.getTolerationSeconds() == null ? Long.MAX_VALUE : Math.max(0, t.getTolerationSeconds() * 1000L);
                }
            }
        }
        return settings.podEvictionTimeoutMillis();
    }

}
