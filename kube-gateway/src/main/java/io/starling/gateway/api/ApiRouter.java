package io.starling.gateway.api;

import io.starling.dht.kube.ResourceType;
import io.starling.dht.kube.Resources;
import io.starling.gateway.Authenticator;
import io.starling.gateway.http.ApiHandler;
import io.starling.gateway.http.ApiRequest;
import io.starling.gateway.http.Reply;
import io.starling.gateway.kubelet.KubeletProxy;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Routes requests to the API parts: health and version, discovery, OpenAPI, and the resource
 * handlers. Every failure leaves here as a meta/v1 Status; nothing a client sends can escape as an
 * exception.
 */
public final class ApiRouter implements ApiHandler {
    private static final Logger LOG = Logger.getLogger(ApiRouter.class.getName());

    private final ApiContext ctx;
    private final Authenticator authenticator;
    private final Authorizer authorizer;
    private final Supplier<String> serverAddress;
    private final Reads reads;
    private final Writes writes;
    private final Scales scales;
    private final PodLogs logs;
    private final PodExec exec;

    public ApiRouter(ApiContext ctx, Authenticator authenticator, KubeletProxy proxy, Supplier<String> serverAddress) {
        this(ctx, authenticator, Authorizer.ALLOW_ALL, proxy, serverAddress);
    }

    public ApiRouter(ApiContext ctx, Authenticator authenticator, Authorizer authorizer, KubeletProxy proxy,
            Supplier<String> serverAddress) {
        this.ctx = ctx;
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.serverAddress = serverAddress;
        this.reads = new Reads(ctx);
        this.writes = new Writes(ctx);
        this.scales = new Scales(ctx);
        this.logs = new PodLogs(ctx, proxy);
        this.exec = new PodExec(ctx, proxy);
    }

    @Override
    public Reply tooLarge(int maxBodyBytes) {
        return Statuses.reply(new ApiException(413, "RequestEntityTooLarge",
                "the request body is larger than the limit of " + maxBodyBytes + " bytes"));
    }

    @Override
    public Reply.Full malformed(String why) {
        return Statuses.reply(ApiException.badRequest(why));
    }

    @Override
    public Reply.Full tooManyRequests() {
        return Statuses.reply(new ApiException(429, "TooManyRequests", "too many requests, please try again later"))
                .withHeader("Retry-After", "1");
    }

    @Override
    public CompletableFuture<Reply> handle(ApiRequest req) {
        CompletableFuture<Reply> f;
        try {
            Authenticator.User user = authenticator.authenticate(req)
                    .orElseThrow(() -> new ApiException(401, "Unauthorized", "Unauthorized"));
            f = route(req, user);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.exceptionally(e -> errorReply(req, e));
    }

    private Reply errorReply(ApiRequest req, Throwable e) {
        Throwable c = ObjectStore.cause(e);
        if (c instanceof ApiException api) {
            return Statuses.reply(api);
        }
        if (c instanceof Writes.RetryableConflict rc) {
            return Statuses.reply(rc.api);
        }
        if (c instanceof io.starling.dht.store.StoreException se) {
            return Statuses.reply(ObjectStore.toApi(se, Resources.NAMESPACES, ""));
        }
        LOG.log(Level.WARNING, "internal error on " + req.method() + " " + req.path(), c);
        return Statuses.reply(new ApiException(500, "InternalError", "Internal error occurred: " + c));
    }

    private CompletableFuture<Reply> route(ApiRequest req, Authenticator.User user) {
        String path = req.path().length() > 1 && req.path().endsWith("/")
                ? req.path().substring(0, req.path().length() - 1) : req.path();
        boolean get = req.method().equals("GET") || req.method().equals("HEAD");
        switch (path) {
            case "/healthz", "/readyz", "/livez" -> {
                return done(Reply.text(200, "ok"));
            }
            case "/version" -> {
                return done(Reply.json(200, Json.bytes(VersionInfo.json())));
            }
            case "/api" -> {
                requireGet(get);
                return done(Discovery.wantsAggregated(req.accept()) ? aggregated(true)
                        : Reply.json(200, Json.bytes(Discovery.apiVersions(serverAddress.get()))));
            }
            case "/apis" -> {
                requireGet(get);
                return done(Discovery.wantsAggregated(req.accept()) ? aggregated(false)
                        : Reply.json(200, Json.bytes(Discovery.apiGroupList())));
            }
            case "/openapi/v2" -> {
                requireGet(get);
                return done(OpenApiV2.wantsProtobuf(req.accept())
                        ? new Reply.Full(200, OpenApiV2.PROTOBUF_CONTENT_TYPE, OpenApiV2.protobuf(), Map.of("Vary", "Accept"))
                        : new Reply.Full(200, "application/json", OpenApiV2.json(), Map.of("Vary", "Accept")));
            }
            case "/openapi/v3" -> {
                requireGet(get);
                return done(Reply.json(200, Json.bytes(OpenApi.index())));
            }
            default -> { }
        }
        if (path.startsWith("/openapi/v3/")) {
            byte[] doc = OpenApi.document(path.substring("/openapi/v3/".length()));
            if (doc == null) {
                throw new ApiException(404, "NotFound", "the server could not find the requested resource");
            }
            return done(new Reply.Full(200, "application/json", doc, Map.of()));
        }
        List<String> seg = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
        if (seg.size() >= 2 && seg.get(0).equals("api") && seg.get(1).equals("v1")) {
            return resource(req, user, "", "v1", seg.subList(2, seg.size()));
        }
        if (seg.size() >= 2 && seg.get(0).equals("apis")) {
            if (seg.size() == 2) {
                return groupDoc(seg.get(1));
            }
            return resource(req, user, seg.get(1), seg.get(2), seg.subList(3, seg.size()));
        }
        throw notFound();
    }

    private static void requireGet(boolean get) {
        if (!get) {
            throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
        }
    }

    private static Reply aggregated(boolean legacy) {
        return new Reply.Full(200, Discovery.AGGREGATED_V2, Json.bytes(Discovery.aggregated(legacy)), Map.of("Vary", "Accept"));
    }

    private CompletableFuture<Reply> groupDoc(String group) {
        if (!ResourceInfo.groups().contains(group) || group.isEmpty()) {
            throw notFound();
        }
        com.fasterxml.jackson.databind.node.ObjectNode g = Json.object();
        g.put("kind", "APIGroup");
        g.put("apiVersion", "v1");
        g.put("name", group);
        String v = ResourceInfo.versionOf(group);
        g.putArray("versions").addObject().put("groupVersion", group + "/" + v).put("version", v);
        g.putObject("preferredVersion").put("groupVersion", group + "/" + v).put("version", v);
        return done(Reply.json(200, Json.bytes(g)));
    }

    private static ApiException notFound() {
        return new ApiException(404, "NotFound", "the server could not find the requested resource");
    }

    private CompletableFuture<Reply> resource(ApiRequest req, Authenticator.User user, String group, String version,
            List<String> seg) {
        if (seg.isEmpty()) {
            if (ResourceInfo.inGroup(group, version).isEmpty()) {
                throw notFound();
            }
            return done(Reply.json(200, Json.bytes(Discovery.resourceList(group, version))));
        }
        Target t = Target.parse(group, version, seg).orElseThrow(ApiRouter::notFound);
        ResourceType rt = t.type();
        String sub = t.subresource();
        if (sub != null && ResourceInfo.subresources(rt).stream().noneMatch(s -> s.name().equals(sub))) {
            throw notFound();
        }
        String m = req.method();
        String upgrade = req.header("upgrade");
        if (req.flag("watch") && upgrade != null && upgrade.toLowerCase(java.util.Locale.ROOT).contains("websocket")) {
            // Watches are served as chunked HTTP only. A complete 503 (not a never-ending 200) lets
            // WebSocket-first clients such as fabric8 finish the failed handshake and fall back.
            throw new ApiException(503, "ServiceUnavailable", "watch over WebSocket is not supported; use a chunked HTTP watch");
        }
        Access access = authorize(req, user, t);
        if (t.name() == null) {
            return switch (m) {
                case "GET" -> req.flag("watch") ? WatchStream.start(ctx, req, t, access) : reads.list(req, t, access);
                case "POST" -> writes.create(req, t);
                case "DELETE" -> writes.deleteCollection(req, t, reads);
                default -> throw ApiException.methodNotAllowed(m + " is not allowed on a collection of " + rt.resource());
            };
        }
        if (sub == null) {
            return switch (m) {
                case "GET" -> req.flag("watch") ? WatchStream.start(ctx, req, t, access) : reads.get(req, t);
                case "PUT" -> writes.update(req, t);
                case "PATCH" -> writes.patch(req, t);
                case "DELETE" -> writes.delete(req, t);
                default -> throw ApiException.methodNotAllowed(m + " is not allowed on " + rt.resource());
            };
        }
        return switch (sub + " " + m) {
            case "status GET" -> reads.get(req, t);
            case "status PUT" -> writes.update(req, t);
            case "status PATCH" -> writes.patch(req, t);
            case "scale GET" -> scales.get(t);
            case "scale PUT" -> scales.put(req, t);
            case "scale PATCH" -> scales.patch(req, t);
            case "log GET" -> logs.get(req, t);
            case "exec GET", "exec POST" -> exec.start(req, t);
            case "binding POST" -> writes.bind(req, t);
            case "eviction POST" -> writes.evict(req, t);
            default -> throw ApiException.methodNotAllowed(m + " is not allowed on " + rt.resource() + "/" + sub);
        };
    }

    /**
     * The verb of the request as RBAC names it. A create of a cluster-scoped object names the
     * object in its body, not the URL, so the authorizer sees that name.
     */
    private Access authorize(ApiRequest req, Authenticator.User user, Target t) {
        String verb = switch (req.method()) {
            case "GET", "HEAD" -> req.flag("watch") ? "watch" : t.name() == null ? "list" : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> t.name() == null ? "deletecollection" : "delete";
            default -> req.method().toLowerCase(java.util.Locale.ROOT);
        };
        if ("exec".equals(t.subresource())) {
            verb = "create"; // RBAC names exec a create on pods/exec, whatever the method (WebSocket clients GET)
        }
        Target subject = t;
        if (verb.equals("create") && t.name() == null && !t.type().namespaced() && authorizer != Authorizer.ALLOW_ALL) {
            String name = Json.text(Bodies.object(req), "metadata", "name");
            subject = new Target(t.type(), null, name == null || name.isEmpty() ? "" : name, null);
        }
        return authorizer.authorize(user, verb, subject);
    }

    private static CompletableFuture<Reply> done(Reply r) {
        return CompletableFuture.completedFuture(r);
    }
}
