package io.starling.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.dht.kube.ResourceType;
import io.starling.dht.kube.Resources;
import io.starling.dht.kube.StarlingLabels;
import io.starling.dht.store.Precondition;
import io.starling.dht.store.StoreException;
import io.starling.gateway.http.ApiRequest;
import io.starling.gateway.ipam.ClusterIpAllocator;
import io.starling.gateway.http.Reply;
import io.starling.gateway.model.Defaults;
import io.starling.gateway.patch.PatchException;
import io.starling.gateway.patch.ServerSideApply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Create, update, patch and delete with kube-apiserver's semantics on top of {@link ObjectStore}:
 * server-owned metadata, defaulting, validation, generation bumps, status subresource rules,
 * dry runs, and optimistic concurrency (a stale resourceVersion is a 409; patches without one are
 * retried on conflict, as the API server does).
 */
public final class Writes {
    private static final int PATCH_ATTEMPTS = 5;

    private final ApiContext ctx;
    private final ObjectStore objects;

    public Writes(ApiContext ctx) {
        this.ctx = ctx;
        this.objects = ctx.objects();
    }

    /** A stored (or dry-run) result plus warnings for the Warning header. */
    record Outcome(int status, ObjectNode object, List<String> warnings) {}

    static Reply toReply(Outcome o) {
        Reply.Full r = Reply.json(o.status, Json.bytes(o.object));
        if (!o.warnings.isEmpty()) {
            Map<String, String> h = new TreeMap<>();
            h.put("Warning", String.join(",", o.warnings.stream().map(w -> "299 - \"" + w.replace("\"", "\\\"") + "\"").toList()));
            r = new Reply.Full(r.status(), r.contentType(), r.body(), h);
        }
        return r;
    }

    static boolean dryRun(ApiRequest req) {
        String d = req.param("dryRun");
        if (d == null) {
            return false;
        }
        if (!d.equals("All")) {
            throw ApiException.badRequest("dryRun must be \"All\" when given, got '" + d + "'");
        }
        return true;
    }

    /** DeleteOptions.dryRun (["All"]), how kubectl 1.20 asks for a dry-run delete. */
    static boolean dryRunOption(ObjectNode deleteOptions) {
        JsonNode d = deleteOptions.path("dryRun");
        if (d.isMissingNode() || d.isNull() || (d.isArray() && d.isEmpty())) {
            return false;
        }
        if (!d.isArray() || d.size() != 1 || !d.get(0).asText().equals("All")) {
            throw ApiException.badRequest("dryRun must be [\"All\"] when given, got " + d);
        }
        return true;
    }

    // ---------------------------------------------------------------- create

    public CompletableFuture<Reply> create(ApiRequest req, Target t) {
        ObjectNode obj = Bodies.object(req);
        return create(req, t, obj).thenApply(Writes::toReply);
    }

    CompletableFuture<Outcome> create(ApiRequest req, Target t, ObjectNode obj) {
        ResourceType rt = t.type();
        Validation.FieldMode mode = Validation.fieldMode(req.param("fieldValidation"));
        boolean dry = dryRun(req);
        List<String> warnings = Validation.checkBody(rt, obj, mode);
        ObjectNode meta = Json.with(obj, "metadata");
        String bodyNs = Json.text(meta, "namespace");
        if (rt.namespaced()) {
            if (t.namespace() == null) {
                throw ApiException.methodNotAllowed("create needs a namespace in the URL for " + rt.resource());
            }
            if (bodyNs != null && !bodyNs.isEmpty() && !bodyNs.equals(t.namespace())) {
                throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on the request");
            }
            meta.put("namespace", t.namespace());
        } else {
            meta.remove("namespace");
        }
        String name = Json.text(meta, "name");
        if ((name == null || name.isEmpty()) && Json.text(meta, "generateName") != null) {
            meta.put("name", Json.text(meta, "generateName") + ctx.nameSuffix());
        }
        obj.put("apiVersion", rt.apiVersion());
        obj.put("kind", rt.kind());
        setServerFields(rt, obj);
        Defaults.apply(rt.apiVersion(), rt.kind(), obj);
        ctx.admit(rt, obj);
        initialStatus(rt, obj);
        Validation.checkObject(rt, obj);
        String finalName = Json.text(meta, "name");
        return namespaceMustExist(t).thenCompose(x -> allocateClusterIp(rt, obj, dry)).thenCompose(claimedIp -> {
            if (dry) {
                return CompletableFuture.completedFuture(new Outcome(201, obj, warnings));
            }
            return objects.put(rt, obj, Precondition.MUST_NOT_EXIST)
                    .exceptionally(e -> {
                        if (!claimedIp.isEmpty()) {
                            ctx.clusterIps().release(claimedIp, ipOwner(obj));
                        }
                        throw translate(e, rt, finalName);
                    })
                    .thenApply(stored -> {
                        afterCreate(rt, stored);
                        return new Outcome(201, stored, warnings);
                    });
        });
    }

    private void setServerFields(ResourceType rt, ObjectNode obj) {
        ObjectNode meta = Json.with(obj, "metadata");
        meta.put("uid", ctx.newUid());
        meta.put("creationTimestamp", ctx.timestamp());
        meta.remove("resourceVersion");
        meta.remove("deletionTimestamp");
        meta.remove("deletionGracePeriodSeconds");
        if (obj.has("spec")) {
            meta.put("generation", 1);
        }
        ObjectNode ann = Json.with(meta, "annotations");
        ann.put(StarlingLabels.HOME_SITE, ctx.siteName());
    }

    private void initialStatus(ResourceType rt, ObjectNode obj) {
        if (rt == Resources.PODS) {
            ObjectNode st = Json.with(obj, "status");
            st.putIfAbsent("phase", st.textNode("Pending"));
        } else if (rt == Resources.NAMESPACES) {
            Json.with(obj, "status").put("phase", "Active");
        } else if (rt == Resources.SERVICES) {
            allocateNodePorts(obj); // the ClusterIP is claimed in the store just before the write
        }
    }

    /**
     * Gives every port of a NodePort or LoadBalancer Service without one a node port in
     * 30000-32767, derived from namespace/name/port index so that every super-peer picks the same
     * (collisions with other Services are possible until an allocator exists; the node's service
     * proxy then serves the first Service by namespace/name and logs the other).
     */
    private static void allocateNodePorts(ObjectNode obj) {
        ObjectNode spec = Json.with(obj, "spec");
        String type = Json.text(spec, "type");
        if (!"NodePort".equals(type) && !"LoadBalancer".equals(type) || !spec.path("ports").isArray()) {
            return;
        }
        String key = Json.text(obj, "metadata", "namespace") + "/" + Json.text(obj, "metadata", "name");
        java.util.Set<Integer> taken = new java.util.TreeSet<>();
        spec.path("ports").forEach(p -> {
            if (p.path("nodePort").isInt()) {
                taken.add(p.path("nodePort").asInt());
            }
        });
        int i = 0;
        for (JsonNode p : spec.path("ports")) {
            if (p instanceof ObjectNode port && !port.path("nodePort").isInt()) {
                int candidate = 30000 + Math.floorMod((key + "/" + i).hashCode(), 2768);
                while (taken.contains(candidate)) {
                    candidate = candidate == 32767 ? 30000 : candidate + 1;
                }
                taken.add(candidate);
                port.put("nodePort", candidate);
            }
            i++;
        }
    }

    /**
     * Claims the ClusterIP of a Service being created (see {@link ClusterIpAllocator}); completes
     * with the address this call claimed, "" when it claimed none (headless, ExternalName, dry run,
     * or the claim already named this Service: then a failed create must not release it).
     */
    private CompletableFuture<String> allocateClusterIp(ResourceType rt, ObjectNode obj, boolean dry) {
        if (rt != Resources.SERVICES) {
            return CompletableFuture.completedFuture("");
        }
        ObjectNode spec = Json.with(obj, "spec");
        spec.putIfAbsent("internalTrafficPolicy", spec.textNode("Cluster"));
        return ctx.clusterIps().allocate(obj, ipOwner(obj), dry)
                .thenApply(a -> a.claimedNow() ? a.ip() : "")
                .exceptionally(e -> {
                    Throwable c = ObjectStore.cause(e);
                    if (c instanceof ClusterIpAllocator.InvalidClusterIp bad) {
                        throw ApiException.invalid("Service", Json.text(obj, "metadata", "name"), bad.getMessage());
                    }
                    throw c instanceof RuntimeException re ? re : new java.util.concurrent.CompletionException(c);
                });
    }

    /** After a Service is gone: its ClusterIP claim goes too (best effort). */
    private CompletableFuture<Void> releaseIp(ResourceType rt, ObjectNode deleted) {
        if (rt != Resources.SERVICES) {
            return CompletableFuture.completedFuture(null);
        }
        return ctx.clusterIps().release(Json.text(deleted, "spec", "clusterIP"), ipOwner(deleted));
    }

    /** Who a ClusterIP claim names: scope/namespace/name. */
    private String ipOwner(ObjectNode svc) {
        return objects.scope() + "/" + Json.text(svc, "metadata", "namespace") + "/" + Json.text(svc, "metadata", "name");
    }

    private CompletableFuture<Void> namespaceMustExist(Target t) {
        if (!t.type().namespaced()) {
            return CompletableFuture.completedFuture(null);
        }
        return objects.get(Resources.NAMESPACES, "", t.namespace()).thenApply(ns -> {
            if (ns.isEmpty()) {
                throw ApiException.notFound("", "namespaces", t.namespace());
            }
            if (ns.get().path("metadata").hasNonNull("deletionTimestamp")) {
                throw new ApiException(403, "Forbidden", t.type().resource() + " \"\" is forbidden: unable to create new content in namespace "
                        + t.namespace() + " because it is being terminated");
            }
            return null;
        });
    }

    /** Side effects of some creates: a new namespace gets its default ServiceAccount. */
    private void afterCreate(ResourceType rt, ObjectNode stored) {
        if (rt == Resources.NAMESPACES) {
            Seeder.defaultServiceAccount(ctx, Json.text(stored, "metadata", "name"));
        }
    }

    // ---------------------------------------------------------------- update

    public CompletableFuture<Reply> update(ApiRequest req, Target t) {
        ObjectNode body = Bodies.object(req);
        ResourceType rt = t.type();
        Validation.FieldMode mode = Validation.fieldMode(req.param("fieldValidation"));
        List<String> warnings = new ArrayList<>(Validation.checkBody(rt, body, mode));
        ObjectNode meta = Json.with(body, "metadata");
        String bodyName = Json.text(meta, "name");
        if (bodyName != null && !bodyName.equals(t.name())) {
            throw ApiException.badRequest("the name of the object (" + bodyName + ") does not match the name on the URL (" + t.name() + ")");
        }
        String bodyNs = Json.text(meta, "namespace");
        if (rt.namespaced() && bodyNs != null && !bodyNs.isEmpty() && !bodyNs.equals(t.namespace())) {
            throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
        String rv = Json.text(meta, "resourceVersion");
        boolean dry = dryRun(req);
        return objects.require(rt, t.storeNamespace(), t.name()).thenCompose(current -> {
            ObjectNode next = mergeForWrite(rt, current, body, t.subresource());
            long expected = rv == null || rv.isEmpty() ? revision(current) : parseRv(rv);
            return store(rt, current, next, expected, dry, warnings, 200);
        }).thenApply(Writes::toReply);
    }

    /**
     * The object to store for a write of {@code incoming} over {@code current}: server-owned metadata
     * is kept; a write to the main resource keeps the old status, a write to /status changes only
     * the status.
     */
    ObjectNode mergeForWrite(ResourceType rt, ObjectNode current, ObjectNode incoming, String sub) {
        ObjectNode next;
        if ("status".equals(sub)) {
            next = current.deepCopy();
            if (incoming.has("status")) {
                next.set("status", incoming.get("status").deepCopy());
            } else {
                next.remove("status");
            }
            ObjectNode meta = Json.with(next, "metadata");
            meta.put("resourceVersion", Json.text(incoming, "metadata", "resourceVersion") == null
                    ? Json.text(current, "metadata", "resourceVersion") : Json.text(incoming, "metadata", "resourceVersion"));
            return next;
        }
        next = incoming.deepCopy();
        next.put("apiVersion", rt.apiVersion());
        next.put("kind", rt.kind());
        ObjectNode meta = Json.with(next, "metadata");
        ObjectNode curMeta = Json.with(current, "metadata");
        for (String f : new String[] {"uid", "creationTimestamp", "name", "namespace", "deletionTimestamp", "generation"}) {
            if (curMeta.has(f)) {
                meta.set(f, curMeta.get(f));
            } else {
                meta.remove(f);
            }
        }
        String home = curMeta.path("annotations").path(StarlingLabels.HOME_SITE).asText(null);
        if (home != null) {
            Json.with(meta, "annotations").put(StarlingLabels.HOME_SITE, home);
        }
        if (ResourceInfo.hasStatus(rt)) {
            if (current.has("status")) {
                next.set("status", current.get("status").deepCopy());
            } else {
                next.remove("status");
            }
        }
        if (rt == Resources.SECRETS && !next.has("type") && current.has("type")) {
            next.set("type", current.get("type"));
        }
        return next;
    }

    /** Defaults, validates, bumps generation and writes {@code next} if the object is still at {@code expected}. */
    private CompletableFuture<Outcome> store(ResourceType rt, ObjectNode current, ObjectNode next, long expected,
                                             boolean dry, List<String> warnings, int okStatus) {
        Defaults.apply(rt.apiVersion(), rt.kind(), next);
        ctx.admit(rt, next);
        if (rt == Resources.SERVICES) {
            JsonNode ip = current.path("spec").path("clusterIP");
            if (!ip.isMissingNode() && !Json.with(next, "spec").hasNonNull("clusterIP")) {
                Json.with(next, "spec").set("clusterIP", ip);
                Json.with(next, "spec").set("clusterIPs", current.path("spec").path("clusterIPs"));
            } else if (ip.isTextual() && !ip.asText().isEmpty() && !ip.asText().equals(Json.text(next, "spec", "clusterIP"))) {
                throw ApiException.invalid("Service", Json.text(current, "metadata", "name"), "spec.clusterIP: Invalid value: \""
                        + Json.text(next, "spec", "clusterIP") + "\": field is immutable");
            }
        }
        Validation.checkObject(rt, next);
        if (!Objects.equals(current.get("spec"), next.get("spec"))) {
            Json.with(next, "metadata").put("generation", Json.with(current, "metadata").path("generation").asLong(0) + 1);
        }
        if (dry) {
            return CompletableFuture.completedFuture(new Outcome(okStatus, next, warnings));
        }
        String name = Json.text(current, "metadata", "name");
        return objects.put(rt, next, Precondition.revisionEquals(expected))
                .exceptionally(e -> {
                    throw translate(e, rt, name);
                })
                .thenApply(stored -> new Outcome(okStatus, stored, warnings));
    }

    static long revision(ObjectNode o) {
        return parseRv(Json.text(o, "metadata", "resourceVersion"));
    }

    static long parseRv(String rv) {
        try {
            return Long.parseLong(rv);
        } catch (NumberFormatException | NullPointerException e) {
            throw ApiException.badRequest("invalid resourceVersion: '" + rv + "'");
        }
    }

    // ---------------------------------------------------------------- patch

    public CompletableFuture<Reply> patch(ApiRequest req, Target t) {
        String ct = req.contentType();
        if (ct.equals(Patches.APPLY)) {
            return apply(req, t, 0).thenApply(Writes::toReply);
        }
        if (req.body().length == 0) {
            throw ApiException.badRequest("the patch body is empty");
        }
        Validation.FieldMode mode = Validation.fieldMode(req.param("fieldValidation"));
        boolean dry = dryRun(req);
        return patchAttempt(req, t, ct, mode, dry, 0).thenApply(Writes::toReply);
    }

    private CompletableFuture<Outcome> patchAttempt(ApiRequest req, Target t, String ct, Validation.FieldMode mode,
                                                    boolean dry, int attempt) {
        ResourceType rt = t.type();
        return objects.require(rt, t.storeNamespace(), t.name()).thenCompose(current -> {
            ObjectNode patched = Patches.apply(ct, current.deepCopy(), req.body(), rt.apiVersion(), rt.kind());
            return writePatched(req, t, current, patched, mode, dry, 200);
        }).exceptionallyCompose(e -> retryOnConflict(e, attempt, () -> patchAttempt(req, t, ct, mode, dry, attempt + 1)));
    }

    /** Stores the result of a patch; the precondition is the resourceVersion in the result. */
    CompletableFuture<Outcome> writePatched(ApiRequest req, Target t, ObjectNode current, ObjectNode patched,
                                            Validation.FieldMode mode, boolean dry, int okStatus) {
        ResourceType rt = t.type();
        List<String> warnings = new ArrayList<>(Validation.checkBody(rt, patched, mode));
        String rv = Json.text(patched, "metadata", "resourceVersion");
        long expected = rv == null || rv.isEmpty() ? revision(current) : parseRv(rv);
        boolean ownRv = expected == revision(current);
        ObjectNode next = mergeForWrite(rt, current, patched, t.subresource());
        return store(rt, current, next, expected, dry, warnings, okStatus).exceptionallyCompose(e -> {
            ApiException api = ObjectStore.cause(e) instanceof ApiException a ? a : null;
            if (api != null && api.code() == 409 && ownRv && "Conflict".equals(api.reason())) {
                return CompletableFuture.failedFuture(new RetryableConflict(api));
            }
            return CompletableFuture.failedFuture(ObjectStore.cause(e));
        });
    }

    /** A conflict caused by a concurrent writer, not by the client's own resourceVersion: retry. */
    static final class RetryableConflict extends RuntimeException {
        final ApiException api;

        RetryableConflict(ApiException api) {
            super(api.getMessage(), null, false, false);
            this.api = api;
        }
    }

    <T> CompletableFuture<T> retryOnConflict(Throwable e, int attempt, java.util.function.Supplier<CompletableFuture<T>> again) {
        Throwable c = ObjectStore.cause(e);
        if (c instanceof RetryableConflict rc) {
            if (attempt + 1 < PATCH_ATTEMPTS) {
                return again.get();
            }
            return CompletableFuture.failedFuture(rc.api);
        }
        return CompletableFuture.failedFuture(c);
    }

    private CompletableFuture<Outcome> apply(ApiRequest req, Target t, int attempt) {
        ResourceType rt = t.type();
        String manager = req.param("fieldManager");
        if (manager == null || manager.isEmpty()) {
            throw ApiException.badRequest("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: "
                    + "is required for apply patch");
        }
        boolean force = req.flag("force");
        Validation.FieldMode mode = Validation.fieldMode(req.param("fieldValidation"));
        boolean dry = dryRun(req);
        ObjectNode applied = Json.parseYamlObject(req.body());
        return objects.get(rt, t.storeNamespace(), t.name()).thenCompose(cur -> {
            JsonNode result;
            try {
                result = ServerSideApply.apply(cur.orElse(null), applied, manager, force, ctx.timestamp());
            } catch (PatchException e) {
                throw Bodies.fromPatch(e);
            }
            if (!(result instanceof ObjectNode obj)) {
                throw ApiException.badRequest("server-side apply did not produce an object");
            }
            if (cur.isEmpty()) {
                if (t.subresource() != null) {
                    throw ApiException.notFound(rt.group(), rt.resource(), t.name());
                }
                Json.with(obj, "metadata").put("name", t.name());
                return create(req, new Target(rt, t.namespace(), null, null), obj);
            }
            return writePatched(req, t, cur.get(), obj, mode, dry, 200);
        }).exceptionallyCompose(e -> retryOnConflict(e, attempt, () -> apply(req, t, attempt + 1)));
    }

    // ---------------------------------------------------------------- pod binding and eviction

    /** pods/binding: assigns a node to an unscheduled pod (409 if it already has one). */
    public CompletableFuture<Reply> bind(ApiRequest req, Target t) {
        ObjectNode binding = Bodies.object(req);
        String node = Json.text(binding, "target", "name");
        if (node == null || node.isEmpty()) {
            throw ApiException.invalid("Binding", t.name(), "target.name: Required value");
        }
        ResourceType rt = t.type();
        return objects.require(rt, t.storeNamespace(), t.name()).thenCompose(pod -> {
            String current = Json.text(pod, "spec", "nodeName");
            if (current != null && !current.isEmpty()) {
                throw new ApiException(409, "Conflict", "pod " + t.name() + " is already assigned to node \"" + current + "\"",
                        "", "pods/binding", t.name());
            }
            ObjectNode next = pod.deepCopy();
            Json.with(next, "spec").put("nodeName", node);
            return objects.put(rt, next, Precondition.revisionEquals(revision(pod)))
                    .exceptionally(e -> {
                        throw translate(e, rt, t.name());
                    })
                    .thenApply(stored -> (Reply) Reply.json(201, Json.bytes(Statuses.success("", "pods", t.name(), null))));
        });
    }

    /** pods/eviction (policy/v1 Eviction): deletes the pod; there are no disruption budgets to check yet. */
    public CompletableFuture<Reply> evict(ApiRequest req, Target t) {
        ObjectNode eviction = Bodies.object(req);
        String name = Json.text(eviction, "metadata", "name");
        if (name != null && !name.equals(t.name())) {
            throw ApiException.badRequest("name in URL does not match name in Eviction object");
        }
        ResourceType rt = t.type();
        return objects.require(rt, t.storeNamespace(), t.name())
                .thenCompose(pod -> objects.delete(rt, t.storeNamespace(), t.name(), Precondition.revisionEquals(revision(pod))))
                .exceptionally(e -> {
                    throw translate(e, rt, t.name());
                })
                .thenApply(v -> (Reply) Reply.json(201, Json.bytes(Statuses.success("", "pods", t.name(), null))));
    }

    // ---------------------------------------------------------------- delete

    public CompletableFuture<Reply> delete(ApiRequest req, Target t) {
        ResourceType rt = t.type();
        ObjectNode opts = req.body().length == 0 ? Json.object() : Bodies.object(req);
        boolean dry = dryRun(req) || dryRunOption(opts);
        String precondRv = Json.text(opts, "preconditions", "resourceVersion");
        String precondUid = Json.text(opts, "preconditions", "uid");
        if (rt == Resources.NAMESPACES && List.of("default", "kube-system", "kube-public").contains(t.name())) {
            throw new ApiException(403, "Forbidden", "namespaces \"" + t.name() + "\" is forbidden: this namespace may not be deleted",
                    "", "namespaces", t.name());
        }
        return objects.require(rt, t.storeNamespace(), t.name()).thenCompose(current -> {
            if (precondUid != null && !precondUid.equals(Json.text(current, "metadata", "uid"))) {
                throw new ApiException(409, "Conflict", "Precondition failed: UID in precondition: " + precondUid
                        + ", UID in object meta: " + Json.text(current, "metadata", "uid"), rt.group(), rt.resource(), t.name());
            }
            Precondition p = precondRv == null ? Precondition.revisionEquals(revision(current))
                    : Precondition.revisionEquals(parseRv(precondRv));
            if (dry) {
                return CompletableFuture.completedFuture(current);
            }
            long grace = podGraceSeconds(rt, current, opts);
            if (grace > 0) {
                return markTerminating(rt, current, grace, p);
            }
            CompletableFuture<Void> contents = rt == Resources.NAMESPACES ? deleteNamespaceContents(t.name())
                    : CompletableFuture.completedFuture(null);
            return contents.thenCompose(x -> objects.delete(rt, t.storeNamespace(), t.name(), p))
                    .exceptionally(e -> {
                        throw translate(e, rt, t.name());
                    })
                    .thenCompose(v -> releaseIp(rt, current))
                    .thenApply(v -> current);
        }).thenApply(obj -> Reply.json(200, Json.bytes(obj)));
    }

    /**
     * Grace period of a pod deletion, 0 when the pod goes at once: a pod bound to a node is only
     * marked (deletionTimestamp + deletionGracePeriodSeconds) so its node agent can stop the
     * containers within the grace period and then remove the object, as the kubelet does.
     * DeleteOptions.gracePeriodSeconds overrides the pod's terminationGracePeriodSeconds (default
     * 30); 0 (kubectl delete --grace-period=0 --force) or an unbound pod deletes immediately.
     */
    private static long podGraceSeconds(ResourceType rt, ObjectNode pod, ObjectNode opts) {
        if (rt != Resources.PODS || pod.path("spec").path("nodeName").asText("").isEmpty()) {
            return 0;
        }
        String phase = pod.path("status").path("phase").asText("");
        if (phase.equals("Succeeded") || phase.equals("Failed")) {
            return 0;
        }
        JsonNode asked = opts.path("gracePeriodSeconds");
        if (asked.isNumber()) {
            return Math.max(0, asked.asLong());
        }
        JsonNode spec = pod.path("spec").path("terminationGracePeriodSeconds");
        return spec.isNumber() ? Math.max(0, spec.asLong()) : 30;
    }

    /** Marks a bound pod terminating; a pod already terminating keeps its (earlier) deadline. */
    private CompletableFuture<ObjectNode> markTerminating(ResourceType rt, ObjectNode current, long grace, Precondition p) {
        if (current.path("metadata").hasNonNull("deletionTimestamp")) {
            return CompletableFuture.completedFuture(current);
        }
        ObjectNode marked = current.deepCopy();
        ObjectNode meta = Json.with(marked, "metadata");
        meta.put("deletionTimestamp", ctx.timestamp());
        meta.put("deletionGracePeriodSeconds", grace);
        return objects.put(rt, marked, p).exceptionally(e -> {
            throw translate(e, rt, Json.text(current, "metadata", "name"));
        });
    }

    /** Namespace deletion removes everything in it first (kube's namespace controller does this asynchronously). */
    private CompletableFuture<Void> deleteNamespaceContents(String ns) {
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (ResourceType rt : Resources.ALL) {
            if (!rt.namespaced()) {
                continue;
            }
            all.add(objects.list(rt, ns).thenCompose(l -> {
                List<CompletableFuture<?>> dels = new ArrayList<>();
                for (ObjectNode o : l.items()) {
                    dels.add(objects.delete(rt, ns, Json.text(o, "metadata", "name"), Precondition.NONE)
                            .thenCompose(v -> releaseIp(rt, o))
                            .exceptionally(e -> null));
                }
                return CompletableFuture.allOf(dels.toArray(CompletableFuture[]::new));
            }));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    /** DELETE on a collection: deletes the objects matching the selectors. */
    public CompletableFuture<Reply> deleteCollection(ApiRequest req, Target t, Reads reads) {
        ResourceType rt = t.type();
        boolean dry = dryRun(req);
        return reads.listFiltered(req, t).thenCompose(listing -> {
            List<CompletableFuture<?>> dels = new ArrayList<>();
            for (ObjectNode o : listing.items()) {
                if (!dry) {
                    dels.add(objects.delete(rt, Json.text(o, "metadata", "namespace") == null ? ""
                            : Json.text(o, "metadata", "namespace"), Json.text(o, "metadata", "name"), Precondition.NONE)
                            .thenCompose(v -> releaseIp(rt, o))
                            .exceptionally(e -> null));
                }
            }
            return CompletableFuture.allOf(dels.toArray(CompletableFuture[]::new)).thenApply(x -> {
                ObjectNode list = Json.object();
                list.put("kind", rt.kind() + "List");
                list.put("apiVersion", rt.apiVersion());
                list.putObject("metadata");
                list.putArray("items").addAll(listing.items());
                return Reply.json(200, Json.bytes(list));
            });
        });
    }

    static RuntimeException translate(Throwable e, ResourceType rt, String name) {
        Throwable c = ObjectStore.cause(e);
        if (c instanceof StoreException se) {
            return ObjectStore.toApi(se, rt, name);
        }
        if (c instanceof RuntimeException re) {
            return re;
        }
        return new IllegalStateException(c);
    }
}
