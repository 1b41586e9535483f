package io.starling.scheduler.controller.deployment;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetSpec;
import io.starling.dht.kube.KubeJson;
import io.starling.dht.kube.Resources;
import io.starling.dht.kube.StarlingLabels;
import io.starling.dht.store.StoreException;
import io.starling.scheduler.controller.ControllerContext;
import io.starling.scheduler.controller.KeyedController;
import io.starling.scheduler.controller.Keys;
import io.starling.scheduler.controller.OwnerRefs;
import io.starling.scheduler.controller.PodDeleter;
import io.starling.scheduler.controller.Pods;
import io.starling.scheduler.queue.InformerHandler;
import io.starling.scheduler.queue.ReconcileResult;
import io.starling.scheduler.queue.SharedInformer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Reconciles a Deployment homed in this site one step at a time: find or create the ReplicaSet of
 * the current template ({@code <deployment>-<pod-template-hash>}), scale new and old ReplicaSets
 * as the strategy allows, prune history, write status. Each step ends the reconcile; the resulting
 * ReplicaSet change re-enqueues the Deployment, so every decision is made on fresh state and a
 * stale cache only costs a 409.
 *
 * <p>Revisions follow Kubernetes so kubectl's rollout commands work unchanged: the ReplicaSet that
 * becomes current gets revision max(old)+1 (a reused one keeps its previous numbers in
 * {@code revision-history}); it carries the Deployment's annotations (kubernetes.io/change-cause);
 * the Deployment's own revision annotation follows the current ReplicaSet. Undo is kubectl
 * patching the template back, which makes an old ReplicaSet current again.
 */
public final class DeploymentController extends KeyedController {
    public static final String REVISION = "deployment.kubernetes.io/revision";
    public static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
    public static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
    public static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
    public static final String CHANGE_CAUSE = "kubernetes.io/change-cause";
    /** Deployment annotations never copied onto ReplicaSets. */
    private static final Set<String> NOT_COPIED = Set.of("kubectl.kubernetes.io/last-applied-configuration",
            REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS);
    private static final int DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
    private static final int DEFAULT_REVISION_HISTORY_LIMIT = 10;

    private final SharedInformer<Deployment> deployments;
    private final SharedInformer<ReplicaSet> replicaSets;
    private final SharedInformer<Pod> pods;

    public DeploymentController(ControllerContext ctx) {
        super("deployment", ctx);
        this.deployments = ctx.informers().of(Deployment.class);
        this.replicaSets = ctx.informers().of(ReplicaSet.class);
        this.pods = ctx.informers().of(Pod.class);
    }

    @Override
    protected void register() {
        deployments.addHandler(InformerHandler.any(d -> enqueue(Keys.of(d))));
        replicaSets.addHandler(InformerHandler.any(rs -> OwnerRefs.controllerOf(rs)
                .filter(r -> "Deployment".equals(r.getKind()))
                .ifPresent(r -> enqueue(Keys.of(rs.getMetadata().getNamespace(), r.getName())))));
        // Recreate waits for old pods to disappear: a pod's deletion wakes its deployment.
        pods.addHandler(new InformerHandler<>() {
            @Override
            public void onDelete(Pod pod) {
                OwnerRefs.controllerOf(pod).filter(r -> "ReplicaSet".equals(r.getKind()))
                        .map(r -> replicaSets.get(pod.getMetadata().getNamespace(), r.getName()))
                        .flatMap(OwnerRefs::controllerOf)
                        .filter(r -> "Deployment".equals(r.getKind()))
                        .ifPresent(r -> enqueue(Keys.of(pod.getMetadata().getNamespace(), r.getName())));
            }
        });
    }

    @Override
    protected CompletableFuture<ReconcileResult> reconcile(String key) {
        Deployment d = deployments.get(Keys.namespace(key), Keys.name(key));
        if (d == null || !ctx.home().isMine(d) || d.getSpec() == null || d.getMetadata().getDeletionTimestamp() != null) {
            return done();
        }
        LabelSelector selector = d.getSpec().getSelector();
        if (selector == null || io.starling.scheduler.controller.Selectors.isEmpty(selector)) {
            return done();
        }
        List<ReplicaSet> owned = new ArrayList<>();
        List<ReplicaSet> orphans = new ArrayList<>();
        for (ReplicaSet rs : replicaSets.list(d.getMetadata().getNamespace())) {
            if (OwnerRefs.isControlledBy(rs, d)) {
                owned.add(rs);
            } else if (OwnerRefs.controllerOf(rs).isEmpty() && rs.getMetadata().getDeletionTimestamp() == null
                    && io.starling.scheduler.controller.Selectors.matches(selector, rs.getMetadata().getLabels())) {
                orphans.add(rs);
            }
        }
        if (!orphans.isEmpty()) {
            return adopt(d, orphans);
        }
        owned.sort(Comparator.comparingLong((ReplicaSet rs) -> Pods.parseMillis(rs.getMetadata().getCreationTimestamp(), 0))
                .thenComparing(rs -> rs.getMetadata().getName()));
        ReplicaSet newRs = owned.stream().filter(rs -> rs.getSpec() != null
                && PodTemplateHash.equalIgnoringHash(rs.getSpec().getTemplate(), d.getSpec().getTemplate())).findFirst().orElse(null);
        List<ReplicaSet> old = owned.stream().filter(rs -> rs != newRs).toList();
        long maxOldRevision = old.stream().mapToLong(DeploymentController::revision).max().orElse(0);
        boolean paused = Boolean.TRUE.equals(d.getSpec().getPaused());

        if (newRs == null) {
            if (paused || (RolloutMath.isRecreate(d) && !oldPodsGone(old))) {
                return scaleOldDownForRecreate(d, old, paused).thenCompose(r -> writeStatus(d, null, owned, false).thenApply(r::sooner));
            }
            return createNewReplicaSet(d, old, maxOldRevision);
        }
        if (revision(newRs) <= maxOldRevision || annotationsDiffer(d, newRs)) {
            return syncNewReplicaSetAnnotations(d, newRs, maxOldRevision);
        }
        if (paused) {
            // a paused Deployment still scales (kubectl scale), but never rolls out
            boolean oldActive = old.stream().anyMatch(rs -> RolloutMath.replicas(rs) > 0);
            if (!oldActive && RolloutMath.replicas(newRs) != RolloutMath.replicas(d)) {
                return scale(d, newRs, RolloutMath.replicas(d)).thenCompose(r -> writeStatus(d, newRs, owned, false));
            }
        } else {
            Optional<CompletableFuture<ReconcileResult>> proportional = scaleProportionally(d, newRs, old);
            if (proportional.isPresent()) {
                return proportional.get().thenCompose(r -> writeStatus(d, newRs, owned, false).thenApply(r::sooner));
            }
            Optional<CompletableFuture<ReconcileResult>> step = RolloutMath.isRecreate(d)
                    ? recreateStep(d, newRs, old) : rollingStep(d, newRs, old);
            if (step.isPresent()) {
                return step.get().thenCompose(r -> writeStatus(d, newRs, owned, false).thenApply(r::sooner));
            }
            Optional<CompletableFuture<ReconcileResult>> prune = pruneHistory(d, old);
            if (prune.isPresent()) {
                return prune.get();
            }
        }
        return writeStatus(d, newRs, owned, false);
    }

    /** Takes over ReplicaSets left by an orphaning delete of an earlier Deployment of the same selector. */
    private CompletableFuture<ReconcileResult> adopt(Deployment d, List<ReplicaSet> orphans) {
        List<CompletableFuture<?>> updates = new ArrayList<>();
        for (ReplicaSet rs : orphans) {
            ReplicaSet copy = KubeJson.copy(rs, ReplicaSet.class);
            List<io.fabric8.kubernetes.api.model.OwnerReference> refs = copy.getMetadata().getOwnerReferences() == null
                    ? new ArrayList<>() : new ArrayList<>(copy.getMetadata().getOwnerReferences());
            refs.add(OwnerRefs.controllerRef(d, "apps/v1", "Deployment"));
            copy.getMetadata().setOwnerReferences(refs);
            updates.add(ctx.client().update(copy));
        }
        // the adopted ReplicaSets' update events bring the Deployment back
        return CompletableFuture.allOf(updates.toArray(CompletableFuture[]::new)).thenApply(x -> ReconcileResult.DONE);
    }

    // ---- the new ReplicaSet ----------------------------------------------------------------

    private CompletableFuture<ReconcileResult> createNewReplicaSet(Deployment d, List<ReplicaSet> old, long maxOldRevision) {
        Integer collisions = d.getStatus() == null ? null : d.getStatus().getCollisionCount();
        String hash = PodTemplateHash.of(d.getSpec().getTemplate(), collisions);
        int replicas = RolloutMath.replicas(d);
        int initial = RolloutMath.isRecreate(d) ? replicas
                : RolloutMath.newReplicaSetTarget(replicas, RolloutMath.limits(d), 0, RolloutMath.sumReplicas(old));
        ReplicaSet rs = new ReplicaSet();
        ObjectMeta meta = new ObjectMeta();
        meta.setName(d.getMetadata().getName() + "-" + hash);
        meta.setNamespace(d.getMetadata().getNamespace());
        PodTemplateSpec template = KubeJson.copy(d.getSpec().getTemplate(), PodTemplateSpec.class);
        if (template.getMetadata() == null) {
            template.setMetadata(new ObjectMeta());
        }
        Map<String, String> podLabels = new TreeMap<>(template.getMetadata().getLabels() == null ? Map.of() : template.getMetadata().getLabels());
        podLabels.put(PodTemplateHash.LABEL, hash);
        template.getMetadata().setLabels(podLabels);
        meta.setLabels(new TreeMap<>(podLabels));
        Map<String, String> ann = copiedAnnotations(d);
        ann.put(REVISION, Long.toString(maxOldRevision + 1));
        ann.put(DESIRED_REPLICAS, Integer.toString(replicas));
        ann.put(MAX_REPLICAS, Integer.toString(replicas + RolloutMath.limits(d).maxSurge()));
        meta.setAnnotations(ann);
        meta.setOwnerReferences(List.of(OwnerRefs.controllerRef(d, "apps/v1", "Deployment")));
        rs.setMetadata(meta);
        rs.setKind("ReplicaSet");
        ReplicaSetSpec spec = new ReplicaSetSpec();
        spec.setReplicas(initial);
        spec.setMinReadySeconds(d.getSpec().getMinReadySeconds());
        LabelSelector sel = KubeJson.copy(d.getSpec().getSelector(), LabelSelector.class);
        Map<String, String> ml = new TreeMap<>(sel.getMatchLabels() == null ? Map.of() : sel.getMatchLabels());
        ml.put(PodTemplateHash.LABEL, hash);
        sel.setMatchLabels(ml);
        spec.setSelector(sel);
        spec.setTemplate(template);
        rs.setSpec(spec);
        return ctx.client().create(rs).handle((created, e) -> {
            if (e == null) {
                if (initial > 0) {
                    ctx.events().normal(d, "ScalingReplicaSet", "Scaled up replica set " + meta.getName() + " from 0 to " + initial);
                }
                return CompletableFuture.completedFuture(created);
            }
            if (PodDeleter.isReason(e, StoreException.Reason.ALREADY_EXISTS)) {
                return ctx.client().get(ReplicaSet.class, meta.getNamespace(), meta.getName()).thenCompose(existing -> {
                    if (existing.isPresent() && OwnerRefs.isControlledBy(existing.get(), d)
                            && PodTemplateHash.equalIgnoringHash(existing.get().getSpec().getTemplate(), d.getSpec().getTemplate())) {
                        return CompletableFuture.completedFuture(existing.get()); // our cache was behind
                    }
                    return bumpCollisionCount(d).thenApply(x -> (ReplicaSet) null);
                });
            }
            return CompletableFuture.<ReplicaSet>failedFuture(e);
        }).thenCompose(f -> f).thenCompose(created -> {
            if (created == null) {
                return CompletableFuture.completedFuture(ReconcileResult.RETRY);
            }
            List<ReplicaSet> all = new ArrayList<>(old);
            all.add(created);
            return writeStatus(d, created, all, true);
        });
    }

    private CompletableFuture<Void> bumpCollisionCount(Deployment d) {
        Deployment copy = KubeJson.copy(d, Deployment.class);
        DeploymentStatus st = copy.getStatus() == null ? new DeploymentStatus() : copy.getStatus();
        st.setCollisionCount((st.getCollisionCount() == null ? 0 : st.getCollisionCount()) + 1);
        copy.setStatus(st);
        return ctx.client().update(copy).thenApply(x -> null);
    }

    private Map<String, String> copiedAnnotations(Deployment d) {
        Map<String, String> ann = new TreeMap<>();
        if (d.getMetadata().getAnnotations() != null) {
            d.getMetadata().getAnnotations().forEach((k, v) -> {
                if (!NOT_COPIED.contains(k)) {
                    ann.put(k, v);
                }
            });
        }
        return ann;
    }

    private boolean annotationsDiffer(Deployment d, ReplicaSet rs) {
        Map<String, String> have = rs.getMetadata().getAnnotations() == null ? Map.of() : rs.getMetadata().getAnnotations();
        for (Map.Entry<String, String> e : copiedAnnotations(d).entrySet()) {
            if (!e.getValue().equals(have.get(e.getKey()))) {
                return true;
            }
        }
        return false;
    }

    /** Makes a reused ReplicaSet the newest revision and gives it the Deployment's annotations. */
    private CompletableFuture<ReconcileResult> syncNewReplicaSetAnnotations(Deployment d, ReplicaSet rs, long maxOldRevision) {
        ReplicaSet copy = KubeJson.copy(rs, ReplicaSet.class);
        Map<String, String> ann = new TreeMap<>(copy.getMetadata().getAnnotations() == null ? Map.of() : copy.getMetadata().getAnnotations());
        ann.putAll(copiedAnnotations(d));
        long current = revision(rs);
        if (current <= maxOldRevision) {
            if (current > 0) {
                String hist = ann.get(REVISION_HISTORY);
                ann.put(REVISION_HISTORY, hist == null || hist.isEmpty() ? Long.toString(current) : hist + "," + current);
            }
            ann.put(REVISION, Long.toString(maxOldRevision + 1));
        }
        copy.getMetadata().setAnnotations(ann);
        return ctx.client().update(copy).thenApply(x -> ReconcileResult.DONE);
    }

    // ---- strategies ------------------------------------------------------------------------

    private Optional<CompletableFuture<ReconcileResult>> rollingStep(Deployment d, ReplicaSet newRs, List<ReplicaSet> old) {
        int replicas = RolloutMath.replicas(d);
        RolloutMath.Limits limits = RolloutMath.limits(d);
        List<ReplicaSet> all = new ArrayList<>(old);
        all.add(newRs);
        int newCurrent = RolloutMath.replicas(newRs);
        boolean oldActive = old.stream().anyMatch(rs -> RolloutMath.replicas(rs) > 0);
        int target = oldActive ? RolloutMath.newReplicaSetTarget(replicas, limits, newCurrent, RolloutMath.sumReplicas(all)) : replicas;
        if (newCurrent > replicas) {
            target = replicas;
        }
        if (target != newCurrent) {
            return Optional.of(scale(d, newRs, target));
        }
        if (!oldActive) {
            return Optional.empty();
        }
        int allCurrent = RolloutMath.sumReplicas(all);
        int budget = RolloutMath.oldScaleDownBudget(replicas, limits, allCurrent, newCurrent, RolloutMath.available(newRs));
        if (budget <= 0) {
            return Optional.empty();
        }
        // first drop old pods that are not available anyway, oldest ReplicaSet first
        for (ReplicaSet rs : old) {
            int unhealthy = RolloutMath.replicas(rs) - RolloutMath.available(rs);
            if (RolloutMath.replicas(rs) > 0 && unhealthy > 0) {
                int down = Math.min(unhealthy, budget);
                return Optional.of(scale(d, rs, RolloutMath.replicas(rs) - down));
            }
        }
        int minAvailable = replicas - limits.maxUnavailable();
        int availableNow = RolloutMath.sumAvailable(all);
        int allowed = Math.min(budget, availableNow - minAvailable);
        for (ReplicaSet rs : old) {
            if (allowed > 0 && RolloutMath.replicas(rs) > 0) {
                int down = Math.min(RolloutMath.replicas(rs), allowed);
                return Optional.of(scale(d, rs, RolloutMath.replicas(rs) - down));
            }
        }
        return Optional.empty();
    }

    /**
     * spec.replicas changed in the middle of a rollout: every active ReplicaSet takes its share of
     * the change in proportion to its size (largest first gets the rounding), so availability and
     * the surge limit hold as Kubernetes' proportional scaling does. Each scaled ReplicaSet records
     * the replica count it was sized for, which is how a later reconcile knows the event is done.
     */
    private Optional<CompletableFuture<ReconcileResult>> scaleProportionally(Deployment d, ReplicaSet newRs, List<ReplicaSet> old) {
        List<ReplicaSet> active = new ArrayList<>();
        for (ReplicaSet rs : old) {
            if (RolloutMath.replicas(rs) > 0) {
                active.add(rs);
            }
        }
        if (active.isEmpty() || RolloutMath.isRecreate(d)) {
            return Optional.empty();
        }
        if (RolloutMath.replicas(newRs) > 0) {
            active.add(newRs);
        }
        String want = Integer.toString(RolloutMath.replicas(d));
        boolean scalingEvent = active.stream().anyMatch(rs -> {
            String v = rs.getMetadata().getAnnotations() == null ? null : rs.getMetadata().getAnnotations().get(DESIRED_REPLICAS);
            return v != null && !v.equals(want);
        });
        if (!scalingEvent) {
            return Optional.empty();
        }
        int current = RolloutMath.sumReplicas(active);
        int delta = RolloutMath.replicas(d) + RolloutMath.limits(d).maxSurge() - current;
        active.sort(Comparator.comparingInt((ReplicaSet rs) -> RolloutMath.replicas(rs)).reversed()
                .thenComparing(Comparator.comparingLong(DeploymentController::revision).reversed()));
        int[] sizes = new int[active.size()];
        int assigned = 0;
        for (int i = 0; i < active.size(); i++) {
            int share = current == 0 ? 0 : (int) ((long) delta * RolloutMath.replicas(active.get(i)) / current);
            sizes[i] = RolloutMath.replicas(active.get(i)) + share;
            assigned += share;
        }
        int rest = delta - assigned;
        for (int i = 0; rest != 0 && i < 2 * active.size(); i++) {
            int k = i % active.size();
            int step = rest > 0 ? 1 : -1;
            if (sizes[k] + step >= 0) {
                sizes[k] += step;
                rest -= step;
            }
        }
        List<CompletableFuture<ReconcileResult>> writes = new ArrayList<>();
        for (int i = 0; i < active.size(); i++) {
            writes.add(scale(d, active.get(i), Math.max(0, sizes[i])));
        }
        return Optional.of(CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).thenApply(x -> ReconcileResult.DONE));
    }

    private Optional<CompletableFuture<ReconcileResult>> recreateStep(Deployment d, ReplicaSet newRs, List<ReplicaSet> old) {
        for (ReplicaSet rs : old) {
            if (RolloutMath.replicas(rs) > 0) {
                return Optional.of(scale(d, rs, 0));
            }
        }
        if (!oldPodsGone(old)) {
            return Optional.of(CompletableFuture.completedFuture(ReconcileResult.DONE));
        }
        int replicas = RolloutMath.replicas(d);
        if (RolloutMath.replicas(newRs) != replicas) {
            return Optional.of(scale(d, newRs, replicas));
        }
        return Optional.empty();
    }

    private CompletableFuture<ReconcileResult> scaleOldDownForRecreate(Deployment d, List<ReplicaSet> old, boolean paused) {
        if (paused) {
            return done();
        }
        for (ReplicaSet rs : old) {
            if (RolloutMath.replicas(rs) > 0) {
                return scale(d, rs, 0);
            }
        }
        return done();
    }

    /** No pod of an old ReplicaSet exists any more (Recreate never runs old and new together). */
    private boolean oldPodsGone(List<ReplicaSet> old) {
        for (ReplicaSet rs : old) {
            for (Pod p : pods.list(rs.getMetadata().getNamespace())) {
                String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
                if (OwnerRefs.isControlledBy(p, rs) && !"Succeeded".equals(phase) && !"Failed".equals(phase)) {
                    return false;
                }
            }
        }
        return true;
    }

    private CompletableFuture<ReconcileResult> scale(Deployment d, ReplicaSet rs, int to) {
        int from = RolloutMath.replicas(rs);
        ReplicaSet copy = KubeJson.copy(rs, ReplicaSet.class);
        copy.getSpec().setReplicas(to);
        copy.getMetadata().setGeneration((rs.getMetadata().getGeneration() == null ? 1 : rs.getMetadata().getGeneration()) + 1);
        Map<String, String> ann = new TreeMap<>(copy.getMetadata().getAnnotations() == null ? Map.of() : copy.getMetadata().getAnnotations());
        ann.put(DESIRED_REPLICAS, Integer.toString(RolloutMath.replicas(d)));
        ann.put(MAX_REPLICAS, Integer.toString(RolloutMath.replicas(d) + RolloutMath.limits(d).maxSurge()));
        copy.getMetadata().setAnnotations(ann);
        return ctx.client().update(copy).thenApply(x -> {
            if (to == from) {
                return ReconcileResult.DONE;
            }
            ctx.events().normal(d, "ScalingReplicaSet", "Scaled " + (to > from ? "up" : "down") + " replica set "
                    + rs.getMetadata().getName() + " from " + from + " to " + to);
            return ReconcileResult.DONE;
        });
    }

    /** Deletes the oldest fully scaled-down ReplicaSets beyond revisionHistoryLimit. */
    private Optional<CompletableFuture<ReconcileResult>> pruneHistory(Deployment d, List<ReplicaSet> old) {
        int limit = d.getSpec().getRevisionHistoryLimit() == null ? DEFAULT_REVISION_HISTORY_LIMIT : d.getSpec().getRevisionHistoryLimit();
        List<ReplicaSet> idle = old.stream().filter(rs -> RolloutMath.replicas(rs) == 0
                && (rs.getStatus() == null || rs.getStatus().getReplicas() == null || rs.getStatus().getReplicas() == 0)
                && rs.getMetadata().getDeletionTimestamp() == null)
                .sorted(Comparator.comparingLong(DeploymentController::revision)).toList();
        if (idle.size() <= limit) {
            return Optional.empty();
        }
        List<CompletableFuture<?>> deletes = new ArrayList<>();
        for (ReplicaSet rs : idle.subList(0, idle.size() - limit)) {
            deletes.add(ctx.client().delete(Resources.REPLICA_SETS, rs.getMetadata().getNamespace(), rs.getMetadata().getName()));
        }
        return Optional.of(CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new)).thenApply(x -> ReconcileResult.DONE));
    }

    // ---- status ----------------------------------------------------------------------------

    private CompletableFuture<ReconcileResult> writeStatus(Deployment d, ReplicaSet newRs, List<ReplicaSet> all, boolean justCreated) {
        DeploymentStatus cur = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
        DeploymentStatus next = KubeJson.copy(cur, DeploymentStatus.class);
        int replicas = RolloutMath.replicas(d);
        int statusReplicas = 0;
        int ready = 0;
        int available = 0;
        for (ReplicaSet rs : all) {
            if (rs.getStatus() != null) {
                statusReplicas += nz(rs.getStatus().getReplicas());
                ready += nz(rs.getStatus().getReadyReplicas());
                available += nz(rs.getStatus().getAvailableReplicas());
            }
        }
        int updated = newRs == null || newRs.getStatus() == null ? 0 : nz(newRs.getStatus().getReplicas());
        next.setObservedGeneration(d.getMetadata().getGeneration());
        next.setReplicas(statusReplicas);
        next.setUpdatedReplicas(updated);
        next.setReadyReplicas(ready);
        next.setAvailableReplicas(available);
        next.setUnavailableReplicas(Math.max(0, replicas - available));
        String now = ctx.client().timestamp();
        RolloutMath.Limits limits = RolloutMath.limits(d);
        if (available >= replicas - limits.maxUnavailable()) {
            setCondition(next, "Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", now, false);
        } else {
            setCondition(next, "Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", now, false);
        }
        ReconcileResult wake = ReconcileResult.DONE;
        String rsName = newRs == null ? "" : newRs.getMetadata().getName();
        int deadline = d.getSpec().getProgressDeadlineSeconds() == null ? DEFAULT_PROGRESS_DEADLINE_SECONDS : d.getSpec().getProgressDeadlineSeconds();
        boolean complete = newRs != null && updated == replicas && statusReplicas == replicas && available == replicas
                && RolloutMath.replicas(newRs) == replicas;
        if (Boolean.TRUE.equals(d.getSpec().getPaused())) {
            setCondition(next, "Progressing", "Unknown", "DeploymentPaused", "Deployment is paused", now, false);
        } else if (justCreated) {
            setCondition(next, "Progressing", "True", "NewReplicaSetCreated", "Created new replica set \"" + rsName + "\"", now, true);
        } else if (complete) {
            setCondition(next, "Progressing", "True", "NewReplicaSetAvailable", "ReplicaSet \"" + rsName + "\" has successfully progressed.", now, false);
        } else if (newRs != null && madeProgress(cur, next)) {
            setCondition(next, "Progressing", "True", "ReplicaSetUpdated", "ReplicaSet \"" + rsName + "\" is progressing.", now, true);
        } else {
            DeploymentCondition p = condition(next, "Progressing");
            if (p != null && !"ProgressDeadlineExceeded".equals(p.getReason()) && !"DeploymentPaused".equals(p.getReason())) {
                long since = Pods.parseMillis(p.getLastUpdateTime(), ctx.nowWallMillis());
                long left = since + deadline * 1000L - ctx.nowWallMillis();
                if (left <= 0) {
                    setCondition(next, "Progressing", "False", "ProgressDeadlineExceeded",
                            "ReplicaSet \"" + rsName + "\" has timed out progressing.", now, false);
                    ctx.events().warning(d, "ProgressDeadlineExceeded", "Deployment " + d.getMetadata().getName() + " has timed out progressing");
                } else {
                    wake = ReconcileResult.after(left + 1000);
                }
            }
        }
        if (!complete && wake == ReconcileResult.DONE && !Boolean.TRUE.equals(d.getSpec().getPaused())) {
            DeploymentCondition p = condition(next, "Progressing");
            if (p != null && "True".equals(p.getStatus())) {
                wake = ReconcileResult.after(deadline * 1000L + 1000);
            }
        }
        Map<String, String> ann = d.getMetadata().getAnnotations() == null ? Map.of() : d.getMetadata().getAnnotations();
        String wantRevision = newRs == null ? ann.get(REVISION) : Long.toString(revision(newRs));
        boolean revisionChanged = wantRevision != null && !wantRevision.equals(ann.get(REVISION));
        boolean statusChanged = !KubeJson.MAPPER.valueToTree(next).equals(KubeJson.MAPPER.valueToTree(cur));
        if (!statusChanged && !revisionChanged) {
            return CompletableFuture.completedFuture(wake);
        }
        Deployment copy = KubeJson.copy(d, Deployment.class);
        copy.setStatus(next);
        if (revisionChanged) {
            Map<String, String> a = new TreeMap<>(ann);
            a.put(REVISION, wantRevision);
            copy.getMetadata().setAnnotations(a);
        }
        ReconcileResult result = wake;
        return ctx.client().update(copy).handle((x, e) -> e == null ? result : ReconcileResult.RETRY);
    }

    private static boolean madeProgress(DeploymentStatus before, DeploymentStatus after) {
        int oldBefore = nz(before.getReplicas()) - nz(before.getUpdatedReplicas());
        int oldAfter = nz(after.getReplicas()) - nz(after.getUpdatedReplicas());
        return nz(after.getUpdatedReplicas()) > nz(before.getUpdatedReplicas()) || oldAfter < oldBefore
                || nz(after.getReadyReplicas()) > nz(before.getReadyReplicas())
                || nz(after.getAvailableReplicas()) > nz(before.getAvailableReplicas());
    }

    static DeploymentCondition condition(DeploymentStatus st, String type) {
        return st.getConditions() == null ? null
                : st.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    /**
     * Sets a condition as Kubernetes does: same status and reason leaves it untouched unless
     * {@code touch} (progress refreshes lastUpdateTime); a status change moves lastTransitionTime.
     */
    private static void setCondition(DeploymentStatus st, String type, String status, String reason, String message,
                                     String now, boolean touch) {
        List<DeploymentCondition> conds = st.getConditions() == null ? new ArrayList<>() : new ArrayList<>(st.getConditions());
        DeploymentCondition cur = condition(st, type);
        if (cur != null && status.equals(cur.getStatus()) && reason.equals(cur.getReason()) && !touch) {
            return;
        }
        DeploymentCondition c = new DeploymentCondition();
        c.setType(type);
        c.setStatus(status);
        c.setReason(reason);
        c.setMessage(message);
        c.setLastUpdateTime(now);
        c.setLastTransitionTime(cur != null && status.equals(cur.getStatus()) ? cur.getLastTransitionTime() : now);
        conds.removeIf(x -> type.equals(x.getType()));
        conds.add(c);
        conds.sort(Comparator.comparing(DeploymentCondition::getType));
        st.setConditions(conds);
    }

    static long revision(ReplicaSet rs) {
        Map<String, String> ann = rs.getMetadata().getAnnotations();
        String v = ann == null ? null : ann.get(REVISION);
        try {
            return v == null ? 0 : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int nz(Integer i) {
        return i == null ? 0 : i;
    }

    static String homeOf(Deployment d) {
        Map<String, String> a = d.getMetadata().getAnnotations();
        return a == null ? null : a.get(StarlingLabels.HOME_SITE);
    }
}
