package io.starling.scheduler.controller.replicaset;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.starling.dht.kube.KubeJson;
import io.starling.dht.kube.StarlingLabels;
import io.starling.dht.store.StoreException;
import io.starling.scheduler.controller.ControllerContext;
import io.starling.scheduler.controller.KeyedController;
import io.starling.scheduler.controller.Keys;
import io.starling.scheduler.controller.OwnerRefs;
import io.starling.scheduler.controller.PodDeleter;
import io.starling.scheduler.controller.Pods;
import io.starling.scheduler.controller.Selectors;
import io.starling.scheduler.queue.InformerHandler;
import io.starling.scheduler.queue.ReconcileResult;
import io.starling.scheduler.queue.SharedInformer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Keeps each ReplicaSet homed in this site at spec.replicas active pods.
 *
 * <p>Reconcile: adopt orphan pods matching the selector, then (if the pod cache already shows this
 * ReplicaSet's earlier creates and deletes, see {@link Expectations}) create or delete the
 * difference, then write status. Pods are named {@code <rs>-<5 chars>} from the injected random
 * source (the API's generateName alphabet); a name clash fails the create and is retried. Pods
 * chosen for deletion: unscheduled first, then Pending before Running, not ready before ready,
 * ready for less time first, newest first, by name last (deterministic).
 */
public final class ReplicaSetController extends KeyedController {
    static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private final SharedInformer<ReplicaSet> replicaSets;
    private final SharedInformer<Pod> pods;
    private final Expectations expectations;

    public ReplicaSetController(ControllerContext ctx) {
        super("replicaset", ctx);
        this.replicaSets = ctx.informers().of(ReplicaSet.class);
        this.pods = ctx.informers().of(Pod.class);
        this.expectations = new Expectations(ctx.cfg().expectationsTimeoutMillis());
    }

    @Override
    protected void register() {
        replicaSets.addHandler(InformerHandler.any(rs -> enqueue(Keys.of(rs))));
        pods.addHandler(new InformerHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                String rs = controllerKey(pod);
                if (rs == null) {
                    enqueueMatching(pod);
                    return;
                }
                if (Pods.isTerminating(pod)) {
                    expectations.deletionObserved(rs, Keys.of(pod));
                } else {
                    expectations.creationObserved(rs);
                }
                enqueue(rs);
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                String rs = controllerKey(pod);
                String oldRs = controllerKey(old);
                if (rs != null && Pods.isTerminating(pod) && !Pods.isTerminating(old)) {
                    expectations.deletionObserved(rs, Keys.of(pod));
                }
                if (oldRs != null && !oldRs.equals(rs)) {
                    enqueue(oldRs);
                }
                if (rs != null) {
                    enqueue(rs);
                } else {
                    enqueueMatching(pod);
                }
            }

            @Override
            public void onDelete(Pod pod) {
                String rs = controllerKey(pod);
                if (rs != null) {
                    expectations.deletionObserved(rs, Keys.of(pod));
                    enqueue(rs);
                }
            }
        });
    }

    private static String controllerKey(Pod pod) {
        return OwnerRefs.controllerOf(pod).filter(r -> "ReplicaSet".equals(r.getKind()))
                .map(r -> Keys.of(pod.getMetadata().getNamespace(), r.getName())).orElse(null);
    }

    private void enqueueMatching(Pod pod) {
        if (Pods.isTerminating(pod)) {
            return;
        }
        for (ReplicaSet rs : replicaSets.list(pod.getMetadata().getNamespace())) {
            if (Selectors.matches(rs.getSpec().getSelector(), pod.getMetadata().getLabels())) {
                enqueue(Keys.of(rs));
            }
        }
    }

    @Override
    protected CompletableFuture<ReconcileResult> reconcile(String key) {
        ReplicaSet rs = replicaSets.get(Keys.namespace(key), Keys.name(key));
        if (rs == null) {
            expectations.forget(key);
            return done();
        }
        if (!ctx.home().isMine(rs) || rs.getSpec() == null) {
            return done();
        }
        List<Pod> owned = new ArrayList<>();
        List<Pod> orphans = new ArrayList<>();
        List<Pod> released = new ArrayList<>();
        for (Pod p : pods.list(rs.getMetadata().getNamespace())) {
            if (OwnerRefs.isControlledBy(p, rs)) {
                if (Pods.isActive(p) && !Selectors.matches(rs.getSpec().getSelector(), p.getMetadata().getLabels())) {
                    released.add(p); // relabelled out of the set (e.g. for debugging): let it go
                } else {
                    owned.add(p);
                }
            } else if (OwnerRefs.controllerOf(p).isEmpty() && Pods.isActive(p)
                    && rs.getMetadata().getDeletionTimestamp() == null
                    && Selectors.matches(rs.getSpec().getSelector(), p.getMetadata().getLabels())) {
                orphans.add(p);
            }
        }
        return release(rs, released).thenCompose(x -> adopt(rs, orphans)).thenCompose(adopted -> {
            owned.addAll(adopted);
            List<Pod> active = owned.stream().filter(Pods::isActive).toList();
            long pending = expectations.pendingMillis(key, ctx.nowMonoMillis());
            CompletableFuture<ReconcileResult> managed = pending > 0 || rs.getMetadata().getDeletionTimestamp() != null
                    ? CompletableFuture.completedFuture(pending > 0 ? ReconcileResult.after(pending) : ReconcileResult.DONE)
                    : manage(key, rs, active);
            return managed.thenCompose(r -> writeStatus(rs, active).thenApply(r::sooner));
        });
    }

    /** Removes this ReplicaSet's controller reference from pods that no longer match its selector. */
    private CompletableFuture<Void> release(ReplicaSet rs, List<Pod> pods) {
        List<CompletableFuture<?>> parts = new ArrayList<>();
        for (Pod p : pods) {
            Pod copy = KubeJson.copy(p, Pod.class);
            List<OwnerReference> refs = new ArrayList<>(copy.getMetadata().getOwnerReferences());
            refs.removeIf(r -> rs.getMetadata().getUid().equals(r.getUid()));
            copy.getMetadata().setOwnerReferences(refs.isEmpty() ? null : refs);
            parts.add(ctx.client().update(copy).exceptionally(e -> null));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<List<Pod>> adopt(ReplicaSet rs, List<Pod> orphans) {
        List<CompletableFuture<Pod>> parts = new ArrayList<>();
        for (Pod orphan : orphans) {
            Pod p = KubeJson.copy(orphan, Pod.class);
            List<OwnerReference> refs = p.getMetadata().getOwnerReferences() == null ? new ArrayList<>()
                    : new ArrayList<>(p.getMetadata().getOwnerReferences());
            refs.add(OwnerRefs.controllerRef(rs, "apps/v1", "ReplicaSet"));
            p.getMetadata().setOwnerReferences(refs);
            parts.add(ctx.client().update(p).exceptionally(e -> null));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenApply(x -> parts.stream().map(CompletableFuture::join).filter(Objects::nonNull).toList());
    }

    private CompletableFuture<ReconcileResult> manage(String key, ReplicaSet rs, List<Pod> active) {
        int want = rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
        int diff = active.size() - want;
        if (diff < 0) {
            int n = Math.min(-diff, ctx.cfg().burstReplicas());
            expectations.expect(key, n, java.util.Set.of(), ctx.nowMonoMillis());
            List<CompletableFuture<Boolean>> creates = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Pod pod = newPod(rs);
                creates.add(ctx.client().create(pod).handle((created, e) -> {
                    if (e != null) {
                        expectations.creationObserved(key);
                        ctx.events().warning(rs, "FailedCreate", "Error creating: " + rootMessage(e));
                        return false;
                    }
                    ctx.events().normal(rs, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
                    return true;
                }));
            }
            return allOk(creates);
        }
        if (diff > 0) {
            List<Pod> victims = new ArrayList<>(active);
            victims.sort(deletionOrder(ctx.nowWallMillis()));
            victims = victims.subList(0, Math.min(diff, ctx.cfg().burstReplicas()));
            TreeSet<String> keys = new TreeSet<>();
            victims.forEach(p -> keys.add(Keys.of(p)));
            expectations.expect(key, 0, keys, ctx.nowMonoMillis());
            List<CompletableFuture<Boolean>> deletes = new ArrayList<>();
            for (Pod victim : victims) {
                deletes.add(ctx.pods().delete(victim).handle((v, e) -> {
                    if (e != null) {
                        expectations.deletionObserved(key, Keys.of(victim));
                        ctx.events().warning(rs, "FailedDelete", "Error deleting: " + rootMessage(e));
                        return false;
                    }
                    ctx.events().normal(rs, "SuccessfulDelete", "Deleted pod: " + victim.getMetadata().getName());
                    return true;
                }));
            }
            return allOk(deletes);
        }
        return done();
    }

    private static CompletableFuture<ReconcileResult> allOk(List<CompletableFuture<Boolean>> parts) {
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(x ->
                parts.stream().allMatch(CompletableFuture::join) ? ReconcileResult.DONE : ReconcileResult.RETRY);
    }

    private Pod newPod(ReplicaSet rs) {
        Pod pod = new Pod();
        ObjectMeta meta = new ObjectMeta();
        ObjectMeta tmpl = rs.getSpec().getTemplate() == null ? null : rs.getSpec().getTemplate().getMetadata();
        String prefix = rs.getMetadata().getName() + "-";
        meta.setGenerateName(prefix);
        meta.setName(prefix + suffix());
        meta.setNamespace(rs.getMetadata().getNamespace());
        meta.setLabels(tmpl == null || tmpl.getLabels() == null ? new TreeMap<>() : new TreeMap<>(tmpl.getLabels()));
        Map<String, String> ann = tmpl == null || tmpl.getAnnotations() == null ? new TreeMap<>() : new TreeMap<>(tmpl.getAnnotations());
        Map<String, String> rsAnn = rs.getMetadata().getAnnotations();
        if (rsAnn != null && rsAnn.containsKey(StarlingLabels.HOME_SITE)) {
            ann.putIfAbsent(StarlingLabels.HOME_SITE, rsAnn.get(StarlingLabels.HOME_SITE));
        }
        meta.setAnnotations(ann.isEmpty() ? null : ann);
        meta.setOwnerReferences(List.of(OwnerRefs.controllerRef(rs, "apps/v1", "ReplicaSet")));
        pod.setMetadata(meta);
        pod.setKind("Pod");
        pod.setSpec(rs.getSpec().getTemplate() == null || rs.getSpec().getTemplate().getSpec() == null ? null
                : KubeJson.copy(rs.getSpec().getTemplate().getSpec(), io.fabric8.kubernetes.api.model.PodSpec.class));
        io.fabric8.kubernetes.api.model.PodStatus status = new io.fabric8.kubernetes.api.model.PodStatus();
        status.setPhase("Pending");
        pod.setStatus(status);
        return pod;
    }

    private String suffix() {
        StringBuilder sb = new StringBuilder(5);
        for (int i = 0; i < 5; i++) {
            sb.append(ALPHABET.charAt(ctx.random().nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    /** Sort order in which pods are deleted: first element goes first. */
    static Comparator<Pod> deletionOrder(long nowWallMillis) {
        return Comparator.<Pod>comparingInt(p -> Pods.isScheduled(p) ? 1 : 0)
                .thenComparingInt(ReplicaSetController::phaseRank)
                .thenComparingInt(p -> Pods.isReady(p) ? 1 : 0)
                .thenComparing(Comparator.comparingLong(Pods::readySinceMillis).reversed())
                .thenComparing(Comparator.comparingLong((Pod p) -> Pods.parseMillis(p.getMetadata().getCreationTimestamp(), 0)).reversed())
                .thenComparing(p -> p.getMetadata().getName());
    }

    private static int phaseRank(Pod p) {
        String phase = p.getStatus() == null ? "Pending" : p.getStatus().getPhase();
        if (phase == null || "Pending".equals(phase)) {
            return 0;
        }
        return "Unknown".equals(phase) ? 1 : 2;
    }

    private CompletableFuture<ReconcileResult> writeStatus(ReplicaSet rs, List<Pod> active) {
        int minReady = rs.getSpec().getMinReadySeconds() == null ? 0 : rs.getSpec().getMinReadySeconds();
        long now = ctx.nowWallMillis();
        Map<String, String> tmplLabels = rs.getSpec().getTemplate() == null || rs.getSpec().getTemplate().getMetadata() == null
                || rs.getSpec().getTemplate().getMetadata().getLabels() == null ? Map.of()
                : rs.getSpec().getTemplate().getMetadata().getLabels();
        int ready = 0;
        int available = 0;
        int fullyLabeled = 0;
        long nextAvailableIn = 0;
        for (Pod p : active) {
            Map<String, String> labels = p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels();
            if (labels.entrySet().containsAll(tmplLabels.entrySet())) {
                fullyLabeled++;
            }
            if (Pods.isReady(p)) {
                ready++;
                if (Pods.isAvailable(p, minReady, now)) {
                    available++;
                } else {
                    long in = Pods.readySinceMillis(p) + minReady * 1000L - now;
                    nextAvailableIn = nextAvailableIn == 0 ? in : Math.min(nextAvailableIn, in);
                }
            }
        }
        ReplicaSetStatus cur = rs.getStatus() == null ? new ReplicaSetStatus() : rs.getStatus();
        ReplicaSetStatus next = KubeJson.copy(cur, ReplicaSetStatus.class);
        next.setReplicas(active.size());
        next.setFullyLabeledReplicas(fullyLabeled);
        next.setReadyReplicas(ready);
        next.setAvailableReplicas(available);
        next.setObservedGeneration(rs.getMetadata().getGeneration());
        ReconcileResult wake = nextAvailableIn > 0 ? ReconcileResult.after(nextAvailableIn + 1) : ReconcileResult.DONE;
        if (KubeJson.MAPPER.valueToTree(next).equals(KubeJson.MAPPER.valueToTree(cur))) {
            return CompletableFuture.completedFuture(wake);
        }
        ReplicaSet copy = KubeJson.copy(rs, ReplicaSet.class);
        copy.setStatus(next);
        return ctx.client().update(copy).handle((v, e) -> {
            if (e != null) {
                // a stale copy (409) is normal: the newer version is already queued
                return PodDeleter.isReason(e, StoreException.Reason.CONFLICT) ? ReconcileResult.RETRY : ReconcileResult.RETRY;
            }
            return wake;
        });
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
