package io.starling.scheduler.controller.gc;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.starling.scheduler.controller.ControllerContext;
import io.starling.scheduler.controller.KeyedController;
import io.starling.scheduler.controller.Keys;
import io.starling.scheduler.controller.Pods;
import io.starling.scheduler.queue.InformerHandler;
import io.starling.scheduler.queue.ReconcileResult;
import io.starling.scheduler.queue.SharedInformer;
import java.util.concurrent.CompletableFuture;

/**
 * Removes pod objects no node agent will finalize: a pod marked for deletion that was never bound,
 * and any pod bound to a Node that no longer exists (confirmed by a direct read). Pods on live
 * nodes are left to their agent.
 */
public final class PodGarbageCollector extends KeyedController {
    private final SharedInformer<Pod> pods;
    private final SharedInformer<Node> nodes;

    public PodGarbageCollector(ControllerContext ctx) {
        super("pod-gc", ctx);
        this.pods = ctx.informers().of(Pod.class);
        this.nodes = ctx.informers().of(Node.class);
    }

    @Override
    protected void register() {
        pods.addHandler(InformerHandler.any(p -> {
            if (Pods.isTerminating(p) || Pods.isScheduled(p)) {
                enqueue(Keys.of(p));
            }
        }));
        nodes.addHandler(new InformerHandler<>() {
            @Override
            public void onDelete(Node node) {
                for (Pod p : pods.list()) {
                    if (node.getMetadata().getName().equals(p.getSpec() == null ? null : p.getSpec().getNodeName())) {
                        enqueue(Keys.of(p));
                    }
                }
            }
        });
    }

    @Override
    protected CompletableFuture<ReconcileResult> reconcile(String key) {
        Pod pod = pods.get(Keys.namespace(key), Keys.name(key));
        if (pod == null || !ctx.home().isMine(pod)) {
            return done();
        }
        if (!Pods.isScheduled(pod)) {
            return Pods.isTerminating(pod) ? ctx.pods().forceDelete(pod).thenApply(v -> ReconcileResult.DONE) : done();
        }
        String node = pod.getSpec().getNodeName();
        if (nodes.get("", node) != null) {
            return done();
        }
        return ctx.client().get(Node.class, "", node).thenCompose(found -> found.isPresent() ? done()
                : ctx.pods().forceDelete(pod).thenApply(v -> ReconcileResult.DONE));
    }
}
