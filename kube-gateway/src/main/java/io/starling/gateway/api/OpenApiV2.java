package io.starling.gateway.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.starling.dht.kube.ResourceType;
import io.starling.gateway.model.ModelSchemas;
import io.starling.gateway.model.ModelSchemas.Shape;
import io.starling.gateway.patch.ListStrategy;
import io.starling.gateway.patch.PatchSchema;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Swagger 2.0 document at /openapi/v2, for clients older than OpenAPI v3 support (kubectl 1.20
 * validates `apply`/`create -f` against it and computes strategic merge patches from it). It has the
 * same source as the v3 documents ({@link ModelSchemas}) but one flat {@code definitions} map for all
 * group-versions, {@code $ref}s in Swagger 2 form, the {@code x-kubernetes-group-version-kind} of
 * every top-level kind (kubectl finds a kind's schema through it) and the patch strategy extensions
 * of our strategic merge patch table on list fields. Paths are minimal: one read operation per
 * resource. Served as JSON, or as the gnostic protobuf encoding ({@link GnosticEncoder}) when asked.
 * The schema set is fixed at build time, so both encodings are built once, on first use.
 */
public final class OpenApiV2 {
    /** The media type kubectl asks for the protobuf document with. */
    public static final String PROTOBUF_TYPE = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";
    /**
     * The Content-Type of the protobuf answer. Not {@link #PROTOBUF_TYPE}: '@' is not a token
     * character, and Go clients fail to parse a Content-Type with it before they read the body.
     */
    public static final String PROTOBUF_CONTENT_TYPE = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    private static final String DEFINITIONS = "#/definitions/";
    /**
     * Union-type struct fields tagged patchStrategy=retainKeys (the list ones are in the patch
     * table): with it a client's patch drops the other members, e.g. rollingUpdate when the
     * strategy becomes Recreate.
     */
    private static final java.util.Set<String> RETAIN_KEYS = java.util.Set.of("DeploymentSpec.strategy");

    private OpenApiV2() {}

    private static final class Cache {
        static final ObjectNode DOC = build();
        static final byte[] JSON = Json.bytes(DOC);
        static final byte[] PROTOBUF = GnosticEncoder.encode(DOC);
    }

    /** The document as JSON. */
    public static byte[] json() {
        return Cache.JSON;
    }

    /** The document as a gnostic openapi_v2.Document protobuf message. */
    public static byte[] protobuf() {
        return Cache.PROTOBUF;
    }

    /** True when the Accept header names the protobuf encoding of the v2 document (either spelling). */
    public static boolean wantsProtobuf(String accept) {
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("com.github.proto-openapi.spec.v2");
    }

    /** A fresh copy of the document tree (tests, debugging). */
    static ObjectNode document() {
        return Cache.DOC.deepCopy();
    }

    static ObjectNode build() {
        ObjectNode doc = Json.object();
        doc.put("swagger", "2.0");
        ObjectNode info = doc.putObject("info");
        info.put("title", "Kubernetes");
        info.put("version", VersionInfo.GIT_VERSION);
        ObjectNode paths = doc.putObject("paths");
        Deque<Class<?>> todo = new ArrayDeque<>();
        for (String g : ResourceInfo.groups()) {
            String v = ResourceInfo.versionOf(g);
            String prefix = g.isEmpty() ? "/api/" + v : "/apis/" + g + "/" + v;
            for (ResourceType rt : ResourceInfo.inGroup(g, v)) {
                addPath(paths, prefix, rt);
                todo.add(rt.type());
            }
        }
        todo.add(Status.class);
        todo.add(DeleteOptions.class);
        todo.add(Scale.class);
        // Sorted by name so the document (and its bytes) never depend on traversal order.
        Map<String, ObjectNode> defs = new TreeMap<>();
        Map<String, Class<?>> owners = new TreeMap<>();
        while (!todo.isEmpty()) {
            Class<?> c = todo.poll();
            String name = OpenApi.schemaName(c);
            if (owners.putIfAbsent(name, c) != null) {
                continue; // already defined (or a same-named class: the first one wins, consistently)
            }
            defs.put(name, definition(c, todo));
        }
        ObjectNode definitions = doc.putObject("definitions");
        defs.forEach(definitions::set);
        return doc;
    }

    /**
     * Read and patch of one object. kubectl 1.20 looks for the dryRun parameter of the PATCH
     * operation of a kind before any --dry-run=server. The PATCH operation lists no "consumes" on
     * purpose: newer kubectl would then derive its apply patches from this document rather than
     * from its compiled-in types (see {@link OpenApi}).
     */
    private static void addPath(ObjectNode paths, String prefix, ResourceType rt) {
        String coll = rt.namespaced() ? prefix + "/namespaces/{namespace}/" + rt.resource() : prefix + "/" + rt.resource();
        ObjectNode item = paths.putObject(coll + "/{name}");
        ObjectNode get = operation(item.putObject("get"), rt, "read", "get");
        pathParams(get.withArray("parameters"), rt);
        ObjectNode patch = operation(item.putObject("patch"), rt, "patch", "patch");
        ArrayNode params = patch.withArray("parameters");
        pathParams(params, rt);
        ObjectNode body = params.addObject();
        body.put("name", "body");
        body.put("in", "body");
        body.put("required", true);
        body.putObject("schema").put("type", "object");
        for (String q : new String[] {"dryRun", "fieldManager", "fieldValidation", "force"}) {
            params.addObject().put("name", q).put("in", "query").put("type", q.equals("force") ? "boolean" : "string")
                    .put("uniqueItems", true);
        }
    }

    private static ObjectNode operation(ObjectNode op, ResourceType rt, String verb, String action) {
        op.put("description", verb + " the specified " + rt.kind());
        op.put("operationId", verb + rt.kind());
        op.putArray("produces").add("application/json");
        op.putArray("parameters");
        ObjectNode ok = op.putObject("responses").putObject("200");
        ok.put("description", "OK");
        ok.putObject("schema").put("$ref", DEFINITIONS + OpenApi.schemaName(rt.type()));
        op.put("x-kubernetes-action", action);
        gvk(op.putObject("x-kubernetes-group-version-kind"), rt.group(), rt.version(), rt.kind());
        return op;
    }

    private static void pathParams(ArrayNode params, ResourceType rt) {
        params.addObject().put("name", "name").put("in", "path").put("required", true).put("type", "string")
                .put("uniqueItems", true);
        if (rt.namespaced()) {
            params.addObject().put("name", "namespace").put("in", "path").put("required", true).put("type", "string")
                    .put("uniqueItems", true);
        }
    }

    private static ObjectNode definition(Class<?> c, Deque<Class<?>> todo) {
        ObjectNode s = Json.object();
        s.put("description", c.getSimpleName());
        s.put("type", "object");
        Map<String, Shape> props = ModelSchemas.of(c).properties();
        if (!props.isEmpty()) {
            // A property-less class (FieldsV1, ...) stays a free-form object: no properties means any field.
            ObjectNode p = s.putObject("properties");
            props.forEach((name, shape) -> p.set(name, property(c, name, shape, todo)));
        }
        ArrayNode gvks = Json.array();
        for (ResourceType rt : ServedResources.ALL) {
            if (rt.type() == c) {
                gvk(gvks.addObject(), rt.group(), rt.version(), rt.kind());
            }
        }
        if (c == Scale.class) {
            gvk(gvks.addObject(), "autoscaling", "v1", "Scale");
        }
        if (!gvks.isEmpty()) {
            s.set("x-kubernetes-group-version-kind", gvks);
        }
        return s;
    }

    private static ObjectNode property(Class<?> owner, String name, Shape shape, Deque<Class<?>> todo) {
        ObjectNode p = schema(shape, todo);
        if (RETAIN_KEYS.contains(owner.getSimpleName() + "." + name)) {
            p.put("x-kubernetes-patch-strategy", "retainKeys");
        }
        if (shape instanceof Shape.Arr) {
            ListStrategy ls = PatchSchema.listStrategyOf(owner, name);
            if (ls.merge()) {
                p.put("x-kubernetes-patch-strategy", ls.retainKeys() ? "merge,retainKeys" : "merge");
                if (ls.mergeKey() != null) {
                    p.put("x-kubernetes-patch-merge-key", ls.mergeKey());
                }
            }
        }
        return p;
    }

    private static ObjectNode schema(Shape shape, Deque<Class<?>> todo) {
        ObjectNode p = Json.object();
        if (shape instanceof Shape.Leaf leaf) {
            if (leaf.type().equals("any")) {
                // No type: clients treat it as an arbitrary value.
                p.put("x-kubernetes-preserve-unknown-fields", true);
            } else {
                p.put("type", leaf.type());
                if (leaf.format() != null) {
                    p.put("format", leaf.format());
                }
            }
        } else if (shape instanceof Shape.Arr arr) {
            p.put("type", "array");
            p.set("items", schema(arr.item(), todo));
        } else if (shape instanceof Shape.MapOf map) {
            p.put("type", "object");
            p.set("additionalProperties", schema(map.value(), todo));
        } else if (shape instanceof Shape.Obj obj) {
            todo.add(obj.type());
            p.put("$ref", DEFINITIONS + OpenApi.schemaName(obj.type()));
        }
        return p;
    }

    private static void gvk(ObjectNode o, String group, String version, String kind) {
        o.put("group", group);
        o.put("kind", kind);
        o.put("version", version);
    }

    /** Names of the definitions (tests). */
    static List<String> definitionNames() {
        List<String> out = new java.util.ArrayList<>();
        Cache.DOC.get("definitions").fieldNames().forEachRemaining(out::add);
        return out;
    }
}
