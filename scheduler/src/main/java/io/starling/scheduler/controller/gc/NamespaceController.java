package io.starling.scheduler.controller.gc;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.starling.dht.kube.KubeJson;
import io.starling.dht.kube.ResourceType;
import io.starling.dht.kube.Resources;
import io.starling.scheduler.controller.ControllerContext;
import io.starling.scheduler.controller.KeyedController;
import io.starling.scheduler.controller.Pods;
import io.starling.scheduler.queue.InformerHandler;
import io.starling.scheduler.queue.ReconcileResult;
import io.starling.scheduler.queue.SharedInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Namespace deletion: a Namespace with a deletionTimestamp (phase Terminating) has every object of
 * every namespaced resource in it deleted (pods gracefully, so their agents stop them), checked by
 * direct lists rather than caches; once nothing is left the Namespace object itself is deleted.
 */
public final class NamespaceController extends KeyedController {
    private final SharedInformer<Namespace> namespaces;

    public NamespaceController(ControllerContext ctx) {
        super("namespace", ctx);
        this.namespaces = ctx.informers().of(Namespace.class);
    }

    @Override
    protected void register() {
        namespaces.addHandler(InformerHandler.any(ns -> {
            if (ns.getMetadata().getDeletionTimestamp() != null) {
                enqueue(ns.getMetadata().getName());
            }
        }));
    }

    @Override
    protected CompletableFuture<ReconcileResult> reconcile(String key) {
        Namespace ns = namespaces.get("", key);
        if (ns == null || ns.getMetadata().getDeletionTimestamp() == null || !ctx.home().isMine(ns)) {
            return done();
        }
        CompletableFuture<Void> marked = CompletableFuture.completedFuture(null);
        if (ns.getStatus() == null || !"Terminating".equals(ns.getStatus().getPhase())) {
            Namespace copy = KubeJson.copy(ns, Namespace.class);
            NamespaceStatus st = copy.getStatus() == null ? new NamespaceStatus() : copy.getStatus();
            st.setPhase("Terminating");
            copy.setStatus(st);
            marked = ctx.client().update(copy).handle((v, e) -> null);
        }
        List<CompletableFuture<Integer>> parts = new ArrayList<>();
        for (ResourceType rt : Resources.ALL) {
            if (rt.namespaced()) {
                parts.add(marked.thenCompose(x -> deleteAll(rt.type(), key)));
            }
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenCompose(x -> {
            int left = parts.stream().mapToInt(CompletableFuture::join).sum();
            if (left > 0) {
                return CompletableFuture.completedFuture(ReconcileResult.after(ctx.cfg().namespaceRecheckMillis()));
            }
            return ctx.client().delete(Resources.NAMESPACES, "", key).handle((v, e) -> ReconcileResult.DONE);
        });
    }

    /** Issues deletes for everything of one resource in the namespace; returns how many still exist. */
    private <T extends HasMetadata> CompletableFuture<Integer> deleteAll(Class<T> type, String ns) {
        return ctx.client().list(type, ns).thenCompose(items -> {
            List<CompletableFuture<?>> deletes = new ArrayList<>();
            for (T obj : items) {
                if (obj instanceof Pod pod) {
                    if (!Pods.isTerminating(pod)) {
                        deletes.add(ctx.pods().delete(pod));
                    }
                } else {
                    deletes.add(ctx.client().delete(Resources.of(type), ns, obj.getMetadata().getName()).handle((v, e) -> null));
                }
            }
            return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new)).handle((v, e) -> items.size());
        });
    }
}
