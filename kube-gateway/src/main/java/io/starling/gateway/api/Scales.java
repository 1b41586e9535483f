package io.starling.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.dht.kube.ResourceType;
import io.starling.dht.store.Precondition;
import io.starling.gateway.http.ApiRequest;
import io.starling.gateway.http.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The autoscaling/v1 Scale subresource of Deployments and ReplicaSets: a view of spec.replicas. */
public final class Scales {
    private final ApiContext ctx;

    public Scales(ApiContext ctx) {
        this.ctx = ctx;
    }

    static ObjectNode scaleOf(ObjectNode obj) {
        ObjectNode s = Json.object();
        s.put("kind", "Scale");
        s.put("apiVersion", "autoscaling/v1");
        ObjectNode meta = s.putObject("metadata");
        for (String f : new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
            JsonNode v = obj.path("metadata").get(f);
            if (v != null) {
                meta.set(f, v);
            }
        }
        s.putObject("spec").put("replicas", obj.path("spec").path("replicas").asInt(1));
        ObjectNode st = s.putObject("status");
        st.put("replicas", obj.path("status").path("replicas").asInt(0));
        List<String> sel = new ArrayList<>();
        obj.path("spec").path("selector").path("matchLabels").fields()
                .forEachRemaining(e -> sel.add(e.getKey() + "=" + e.getValue().asText()));
        st.put("selector", String.join(",", sel));
        return s;
    }

    public CompletableFuture<Reply> get(Target t) {
        return ctx.objects().require(t.type(), t.storeNamespace(), t.name())
                .thenApply(o -> Reply.json(200, Json.bytes(scaleOf(o))));
    }

    public CompletableFuture<Reply> put(ApiRequest req, Target t) {
        ObjectNode scale = Bodies.object(req);
        if (scale.has("kind") && !"Scale".equals(Json.text(scale, "kind"))) {
            throw ApiException.badRequest("expected kind Scale, got " + Json.text(scale, "kind"));
        }
        return write(req, t, current -> scale, 0);
    }

    public CompletableFuture<Reply> patch(ApiRequest req, Target t) {
        String ct = req.contentType();
        // Scale has no lists, so strategic merge and apply reduce to a JSON merge patch of it.
        String effective = ct.equals(Patches.APPLY) || ct.equals(Patches.STRATEGIC) ? Patches.MERGE_PATCH : ct;
        return write(req, t, current -> Patches.apply(effective, scaleOf(current),
                ct.equals(Patches.APPLY) ? Json.bytes(Json.parseYamlObject(req.body())) : req.body(), "autoscaling/v1", "Scale"), 0);
    }

    private CompletableFuture<Reply> write(ApiRequest req, Target t, java.util.function.Function<ObjectNode, ObjectNode> newScale,
                                           int attempt) {
        ResourceType rt = t.type();
        boolean dry = Writes.dryRun(req);
        return ctx.objects().require(rt, t.storeNamespace(), t.name()).thenCompose((ObjectNode current) -> {
            ObjectNode scale = newScale.apply(current);
            JsonNode replicas = scale.path("spec").path("replicas");
            if (!replicas.canConvertToInt() || replicas.asInt() < 0) {
                throw ApiException.invalid("Scale", t.name(), "spec.replicas: Invalid value: " + replicas + ": must be a non-negative integer");
            }
            String rv = Json.text(scale, "metadata", "resourceVersion");
            long expected = rv == null || rv.isEmpty() ? Writes.revision(current) : Writes.parseRv(rv);
            boolean ownRv = expected == Writes.revision(current);
            ObjectNode next = current.deepCopy();
            Json.with(next, "spec").put("replicas", replicas.asInt());
            if (next.path("spec").equals(current.path("spec")) || dry) {
                return CompletableFuture.<Reply>completedFuture(Reply.json(200, Json.bytes(scaleOf(dry ? next : current))));
            }
            Json.with(next, "metadata").put("generation", current.path("metadata").path("generation").asLong(0) + 1);
            return ctx.objects().put(rt, next, Precondition.revisionEquals(expected))
                    .handle((ObjectNode stored, Throwable e) -> {
                        if (e == null) {
                            return CompletableFuture.<Reply>completedFuture(Reply.json(200, Json.bytes(scaleOf(stored))));
                        }
                        RuntimeException api = Writes.translate(e, rt, t.name());
                        if (ownRv && api instanceof ApiException a && a.code() == 409 && attempt < 4) {
                            return write(req, t, newScale, attempt + 1);
                        }
                        return CompletableFuture.<Reply>failedFuture(api);
                    }).thenCompose(f -> f);
        });
    }
}
