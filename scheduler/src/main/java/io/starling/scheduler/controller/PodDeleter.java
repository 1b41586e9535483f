package io.starling.scheduler.controller;

import io.fabric8.kubernetes.api.model.Pod;
import io.starling.dht.kube.KubeJson;
import io.starling.dht.kube.ObjectClient;
import io.starling.dht.kube.Resources;
import io.starling.dht.store.StoreException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Deletes pods the way the API does: a pod bound to a node is marked (deletionTimestamp plus grace
 * period) so that node's agent stops its containers and then removes the object; a pod never
 * bound, or whose node is gone, is removed at once. A pod already gone counts as deleted.
 */
public final class PodDeleter {
    private final ObjectClient client;

    public PodDeleter(ObjectClient client) {
        this.client = client;
    }

    /** Graceful delete: marks bound pods, removes unbound ones. */
    public CompletableFuture<Void> delete(Pod pod) {
        if (!Pods.isScheduled(pod)) {
            return forceDelete(pod);
        }
        if (Pods.isTerminating(pod)) {
            return CompletableFuture.completedFuture(null);
        }
        Pod marked = KubeJson.copy(pod, Pod.class);
        Long grace = pod.getSpec().getTerminationGracePeriodSeconds();
        marked.getMetadata().setDeletionTimestamp(client.timestamp());
        marked.getMetadata().setDeletionGracePeriodSeconds(grace == null ? 30L : grace);
        return ignoreNotFound(client.update(marked).thenApply(p -> null));
    }

    /** Removes the object now (the node is gone or never ran it). */
    public CompletableFuture<Void> forceDelete(Pod pod) {
        return ignoreNotFound(client.delete(Resources.PODS, pod.getMetadata().getNamespace(), pod.getMetadata().getName())
                .thenApply(v -> null));
    }

    static CompletableFuture<Void> ignoreNotFound(CompletableFuture<Void> f) {
        return f.handle((v, e) -> {
            if (e == null || isReason(e, StoreException.Reason.NOT_FOUND)) {
                return null;
            }
            throw e instanceof CompletionException ce ? ce : new CompletionException(e);
        });
    }

    public static boolean isReason(Throwable e, StoreException.Reason reason) {
        Throwable t = e;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof StoreException se && se.reason() == reason;
    }
}
