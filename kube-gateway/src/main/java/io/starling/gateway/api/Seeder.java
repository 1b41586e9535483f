package io.starling.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.dht.kube.ResourceType;
import io.starling.dht.kube.Resources;
import io.starling.dht.kube.StarlingLabels;
import io.starling.dht.store.Precondition;
import io.starling.dht.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Objects every cluster has: the four system namespaces (each with its default ServiceAccount) and
 * Service default/kubernetes. Idempotent and race-safe across super-peers: every write is
 * MUST_NOT_EXIST and ALREADY_EXISTS counts as done.
 */
public final class Seeder {
    public static final List<String> NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease");
    /** The kubernetes Service's address in the default range: the range's first address, as in Kubernetes. */
    public static final String KUBERNETES_SERVICE_IP = "127.96.0.1";

    private Seeder() {}

    public static CompletableFuture<Void> seed(ApiContext ctx) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (String ns : NAMESPACES) {
            ObjectNode o = base(ctx, Resources.NAMESPACES, ns, null);
            o.putObject("spec").putArray("finalizers").add("kubernetes");
            o.putObject("status").put("phase", "Active");
            Json.with(Json.with(o, "metadata"), "labels").put("kubernetes.io/metadata.name", ns);
            all.add(createIfAbsent(ctx, Resources.NAMESPACES, o).thenCompose(x -> defaultServiceAccount(ctx, ns)));
        }
        ObjectNode svc = base(ctx, Resources.SERVICES, "kubernetes", "default");
        ObjectNode labels = Json.with(Json.with(svc, "metadata"), "labels");
        labels.put("component", "apiserver");
        labels.put("provider", "kubernetes");
        ObjectNode spec = svc.putObject("spec");
        String ip = ctx.clusterIps().cidr().first();
        spec.put("type", "ClusterIP");
        spec.put("clusterIP", ip);
        spec.putArray("clusterIPs").add(ip);
        spec.put("sessionAffinity", "None");
        spec.putArray("ipFamilies").add("IPv4");
        spec.put("ipFamilyPolicy", "SingleStack");
        spec.put("internalTrafficPolicy", "Cluster");
        ObjectNode port = spec.putArray("ports").addObject();
        port.put("name", "https");
        port.put("port", 443);
        port.put("protocol", "TCP");
        port.put("targetPort", 6443);
        svc.putObject("status").putObject("loadBalancer");
        all.add(ctx.clusterIps().claimExact(ip, ctx.objects().scope() + "/default/kubernetes")
                .thenCompose(x -> createIfAbsent(ctx, Resources.SERVICES, svc)));
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    /** Creates ServiceAccount {@code ns}/default unless it exists. */
    public static CompletableFuture<Void> defaultServiceAccount(ApiContext ctx, String ns) {
        return createIfAbsent(ctx, Resources.SERVICE_ACCOUNTS, base(ctx, Resources.SERVICE_ACCOUNTS, "default", ns));
    }

    private static ObjectNode base(ApiContext ctx, ResourceType rt, String name, String ns) {
        ObjectNode o = Json.object();
        o.put("apiVersion", rt.apiVersion());
        o.put("kind", rt.kind());
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", name);
        if (ns != null) {
            meta.put("namespace", ns);
        }
        meta.put("uid", ctx.newUid());
        meta.put("creationTimestamp", ctx.timestamp());
        meta.putObject("annotations").put(StarlingLabels.HOME_SITE, ctx.siteName());
        return o;
    }

    private static CompletableFuture<Void> createIfAbsent(ApiContext ctx, ResourceType rt, ObjectNode o) {
        return ctx.objects().put(rt, o, Precondition.MUST_NOT_EXIST).handle((v, e) -> {
            Throwable c = e == null ? null : ObjectStore.cause(e);
            if (c != null && !(c instanceof StoreException se && se.reason() == StoreException.Reason.ALREADY_EXISTS)) {
                throw new IllegalStateException("seeding " + rt.resource() + " failed", c);
            }
            return null;
        });
    }
}
