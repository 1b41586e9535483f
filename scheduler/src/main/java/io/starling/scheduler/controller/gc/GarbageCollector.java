package io.starling.scheduler.controller.gc;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.starling.dht.kube.KubeJson;
import io.starling.dht.kube.ResourceType;
import io.starling.dht.kube.Resources;
import io.starling.scheduler.controller.ControllerContext;
import io.starling.scheduler.controller.KeyedController;
import io.starling.scheduler.queue.InformerHandler;
import io.starling.scheduler.queue.ReconcileResult;
import io.starling.scheduler.queue.SharedInformer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Deletes objects whose owners are gone and carries out foreground and orphan deletion.
 *
 * <p>It follows every served resource except Events with shared informers and keeps two indexes:
 * uid -> object, and owner uid -> dependents (sorted keys). A dependent whose owners are all
 * absent from the cache is deleted only after a direct read of each owner confirms it is gone (the
 * cache may lag behind a just-created owner); if only some owners are gone, their references are
 * removed. An owner being deleted with the {@code foregroundDeletion} finalizer has its dependents
 * deleted first (dependents that own objects themselves are deleted in the foreground too), then
 * loses the finalizer; with the {@code orphan} finalizer its dependents lose their reference to it.
 * An object whose last finalizer is removed here is then deleted from the store. Each site
 * collects only objects homed in it (controllers copy the home-site annotation from owner to
 * dependent), so sites never race on one object and no decision needs a WAN round trip.
 */
public final class GarbageCollector extends KeyedController {
    public static final String FOREGROUND = "foregroundDeletion";
    public static final String ORPHAN = "orphan";

    private final Map<ResourceType, SharedInformer<? extends HasMetadata>> informers = new java.util.LinkedHashMap<>();
    private final Map<String, ObjectRef> byUid = new HashMap<>();
    private final Map<String, TreeSet<String>> dependents = new HashMap<>();
    private final Map<String, List<String>> ownersOf = new HashMap<>();

    public GarbageCollector(ControllerContext ctx) {
        super("garbage-collector", ctx);
        for (ResourceType rt : Resources.ALL) {
            if (rt != Resources.EVENTS) {
                informers.put(rt, ctx.informers().of(rt.type()));
            }
        }
    }

    @Override
    protected void register() {
        informers.forEach(this::watch);
    }

    private <T extends HasMetadata> void watch(ResourceType rt, SharedInformer<T> inf) {
        inf.addHandler(new InformerHandler<>() {
            @Override
            public void onAdd(T obj) {
                index(rt, obj);
            }

            @Override
            public void onUpdate(T oldObj, T obj) {
                index(rt, obj);
            }

            @Override
            public void onDelete(T obj) {
                ObjectRef ref = ObjectRef.of(rt, obj);
                String uid = obj.getMetadata().getUid();
                if (uid != null) {
                    byUid.remove(uid);
                    TreeSet<String> deps = dependents.get(uid);
                    if (deps != null) {
                        deps.forEach(GarbageCollector.this::enqueue);
                    }
                }
                unindexOwners(ref.key());
                refs(obj).forEach(o -> {
                    ObjectRef owner = byUid.get(o.getUid());
                    if (owner != null) {
                        enqueue(owner.key());
                    }
                });
            }
        });
    }

    private void index(ResourceType rt, HasMetadata obj) {
        ObjectRef ref = ObjectRef.of(rt, obj);
        String key = ref.key();
        if (obj.getMetadata().getUid() != null) {
            byUid.put(obj.getMetadata().getUid(), ref);
        }
        unindexOwners(key);
        List<String> owners = new ArrayList<>();
        for (OwnerReference o : refs(obj)) {
            if (o.getUid() != null) {
                owners.add(o.getUid());
                dependents.computeIfAbsent(o.getUid(), u -> new TreeSet<>()).add(key);
            }
        }
        if (!owners.isEmpty()) {
            ownersOf.put(key, owners);
            enqueue(key);
        }
        if (obj.getMetadata().getDeletionTimestamp() != null && hasFinalizer(obj, FOREGROUND, ORPHAN)) {
            enqueue(key);
        }
    }

    private void unindexOwners(String key) {
        List<String> owners = ownersOf.remove(key);
        if (owners != null) {
            for (String uid : owners) {
                TreeSet<String> deps = dependents.get(uid);
                if (deps != null) {
                    deps.remove(key);
                    if (deps.isEmpty()) {
                        dependents.remove(uid);
                    }
                }
            }
        }
    }

    private static List<OwnerReference> refs(HasMetadata obj) {
        return obj.getMetadata().getOwnerReferences() == null ? List.of() : obj.getMetadata().getOwnerReferences();
    }

    static boolean hasFinalizer(HasMetadata obj, String... names) {
        List<String> f = obj.getMetadata().getFinalizers();
        if (f == null) {
            return false;
        }
        for (String n : names) {
            if (f.contains(n)) {
                return true;
            }
        }
        return false;
    }

    private HasMetadata cached(ObjectRef ref) {
        SharedInformer<? extends HasMetadata> inf = informers.get(ref.type());
        return inf == null ? null : inf.get(ref.namespace(), ref.name());
    }

    @Override
    protected CompletableFuture<ReconcileResult> reconcile(String key) {
        ObjectRef ref;
        try {
            ref = ObjectRef.parse(key);
        } catch (RuntimeException e) {
            return done();
        }
        HasMetadata obj = cached(ref);
        if (obj == null || !ctx.home().isMine(obj)) {
            return done();
        }
        if (obj.getMetadata().getDeletionTimestamp() != null && hasFinalizer(obj, FOREGROUND)) {
            return foreground(ref, obj);
        }
        if (obj.getMetadata().getDeletionTimestamp() != null && hasFinalizer(obj, ORPHAN)) {
            return orphan(ref, obj);
        }
        List<OwnerReference> owners = refs(obj);
        if (owners.isEmpty()) {
            return done();
        }
        List<CompletableFuture<Boolean>> checks = new ArrayList<>();
        for (OwnerReference o : owners) {
            checks.add(ownerExists(ref, o));
        }
        return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).thenCompose(x -> {
            List<OwnerReference> dangling = new ArrayList<>();
            for (int i = 0; i < owners.size(); i++) {
                if (!checks.get(i).join()) {
                    dangling.add(owners.get(i));
                }
            }
            if (dangling.isEmpty()) {
                return done();
            }
            if (dangling.size() == owners.size()) {
                return deleteObject(ref, obj, false).thenApply(v -> ReconcileResult.DONE);
            }
            return removeRefs(ref, obj, dangling.stream().map(OwnerReference::getUid).toList());
        });
    }

    /** Cache first; a miss is confirmed by a direct read (a new owner may not be cached yet). */
    private CompletableFuture<Boolean> ownerExists(ObjectRef dependent, OwnerReference o) {
        if (o.getUid() != null && byUid.containsKey(o.getUid())) {
            return CompletableFuture.completedFuture(true);
        }
        Optional<ResourceType> rt = Resources.byKind(o.getApiVersion(), o.getKind());
        if (rt.isEmpty()) {
            return CompletableFuture.completedFuture(true); // unknown kind: never collect on a guess
        }
        String ns = rt.get().namespaced() ? dependent.namespace() : "";
        return ctx.client().get(rt.get().type(), ns, o.getName())
                .thenApply(found -> found.isPresent() && found.get().getMetadata().getUid() != null
                        && found.get().getMetadata().getUid().equals(o.getUid()));
    }

    private CompletableFuture<ReconcileResult> foreground(ObjectRef ref, HasMetadata owner) {
        TreeSet<String> deps = dependents.getOrDefault(owner.getMetadata().getUid(), new TreeSet<>());
        List<CompletableFuture<Void>> work = new ArrayList<>();
        int remaining = 0;
        for (String depKey : List.copyOf(deps)) {
            ObjectRef dref = ObjectRef.parse(depKey);
            HasMetadata dep = cached(dref);
            if (dep == null) {
                continue;
            }
            remaining++;
            if (dep.getMetadata().getDeletionTimestamp() == null) {
                boolean ownsOthers = dependents.containsKey(dep.getMetadata().getUid());
                work.add(deleteObject(dref, dep, ownsOthers));
            }
        }
        if (remaining > 0) {
            // dependents' deletions re-enqueue this owner; the delay only guards against a lost event
            return CompletableFuture.allOf(work.toArray(CompletableFuture[]::new))
                    .thenApply(x -> ReconcileResult.after(ctx.cfg().namespaceRecheckMillis()));
        }
        return finish(ref, owner, FOREGROUND);
    }

    private CompletableFuture<ReconcileResult> orphan(ObjectRef ref, HasMetadata owner) {
        String uid = owner.getMetadata().getUid();
        List<CompletableFuture<ReconcileResult>> work = new ArrayList<>();
        for (String depKey : List.copyOf(dependents.getOrDefault(uid, new TreeSet<>()))) {
            ObjectRef dref = ObjectRef.parse(depKey);
            HasMetadata dep = cached(dref);
            if (dep != null) {
                work.add(removeRefs(dref, dep, List.of(uid)));
            }
        }
        return CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).thenCompose(x -> {
            boolean failed = work.stream().anyMatch(f -> f.join().retry());
            return failed ? CompletableFuture.completedFuture(ReconcileResult.RETRY) : finish(ref, owner, ORPHAN);
        });
    }

    /** Removes {@code finalizer}; an object left without finalizers is then deleted from the store. */
    private CompletableFuture<ReconcileResult> finish(ObjectRef ref, HasMetadata owner, String finalizer) {
        HasMetadata copy = copyOf(owner);
        List<String> f = new ArrayList<>(copy.getMetadata().getFinalizers());
        f.remove(finalizer);
        copy.getMetadata().setFinalizers(f.isEmpty() ? null : f);
        return ctx.client().update(copy).thenCompose(updated -> f.isEmpty()
                ? ctx.client().delete(ref.type(), ref.namespace(), ref.name()).thenApply(v -> ReconcileResult.DONE)
                : CompletableFuture.completedFuture(ReconcileResult.DONE));
    }

    private CompletableFuture<ReconcileResult> removeRefs(ObjectRef ref, HasMetadata obj, List<String> uids) {
        HasMetadata copy = copyOf(obj);
        List<OwnerReference> keep = new ArrayList<>(refs(copy));
        keep.removeIf(o -> uids.contains(o.getUid()));
        copy.getMetadata().setOwnerReferences(keep.isEmpty() ? null : keep);
        return ctx.client().update(copy).handle((v, e) -> e == null ? ReconcileResult.DONE : ReconcileResult.RETRY);
    }

    /** Deletes a dependent: pods gracefully, objects that own others in the foreground, the rest at once. */
    private CompletableFuture<Void> deleteObject(ObjectRef ref, HasMetadata obj, boolean foreground) {
        if (obj instanceof Pod pod) {
            return ctx.pods().delete(pod);
        }
        if (foreground) {
            HasMetadata copy = copyOf(obj);
            List<String> f = copy.getMetadata().getFinalizers() == null ? new ArrayList<>() : new ArrayList<>(copy.getMetadata().getFinalizers());
            if (!f.contains(FOREGROUND)) {
                f.add(FOREGROUND);
            }
            copy.getMetadata().setFinalizers(f);
            copy.getMetadata().setDeletionTimestamp(ctx.client().timestamp());
            return ctx.client().update(copy).handle((v, e) -> null);
        }
        return ctx.client().delete(ref.type(), ref.namespace(), ref.name()).handle((v, e) -> null);
    }

    private static HasMetadata copyOf(HasMetadata obj) {
        return KubeJson.fromBytes(KubeJson.toBytes(obj), obj.getClass());
    }
}
