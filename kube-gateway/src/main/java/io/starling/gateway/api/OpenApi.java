package io.starling.gateway.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.starling.dht.kube.ResourceType;
import io.starling.gateway.model.ModelSchemas;
import io.starling.gateway.model.ModelSchemas.Shape;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * OpenAPI v3 documents (/openapi/v3 and one per group-version), generated from the fabric8 model
 * classes. kubectl reads them to learn that writes accept ?fieldValidation= (then it leaves
 * validation to the server) and which patch types a kind supports; `kubectl explain` reads the
 * schemas. Strategic merge patch is deliberately not advertised in the PATCH request bodies: kubectl
 * then computes its apply patches from its compiled-in types instead of from our schemas (which do
 * not carry x-kubernetes-patch-merge-key), and still sends strategic merge patches for built-ins.
 * Documents are immutable, so they are built once.
 */
public final class OpenApi {
    private static final Map<String, byte[]> DOCS = new LinkedHashMap<>();
    private static final Map<String, String> HASHES = new LinkedHashMap<>();

    static {
        for (String g : ResourceInfo.groups()) {
            String v = ResourceInfo.versionOf(g);
            String key = g.isEmpty() ? "api/" + v : "apis/" + g + "/" + v;
            byte[] doc = Json.bytes(groupVersionDoc(g, v));
            DOCS.put(key, doc);
            HASHES.put(key, sha256(doc));
        }
    }

    private OpenApi() {}

    /** The /openapi/v3 index. */
    public static ObjectNode index() {
        ObjectNode o = Json.object();
        ObjectNode paths = o.putObject("paths");
        HASHES.forEach((k, h) -> paths.putObject(k).put("serverRelativeURL", "/openapi/v3/" + k + "?hash=" + h));
        return o;
    }

    /** The document for e.g. "api/v1" or "apis/apps/v1", or null. */
    public static byte[] document(String key) {
        return DOCS.get(key);
    }

    static ObjectNode groupVersionDoc(String group, String version) {
        ObjectNode doc = Json.object();
        doc.put("openapi", "3.0.0");
        ObjectNode info = doc.putObject("info");
        info.put("title", "Kubernetes");
        info.put("version", VersionInfo.GIT_VERSION);
        ObjectNode paths = doc.putObject("paths");
        ObjectNode schemas = doc.putObject("components").putObject("schemas");
        Deque<Class<?>> todo = new ArrayDeque<>();
        Set<String> seen = new TreeSet<>();
        String prefix = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
        for (ResourceType rt : ResourceInfo.inGroup(group, version)) {
            addPaths(paths, prefix, rt);
            todo.add(rt.type());
        }
        todo.add(Status.class);
        todo.add(DeleteOptions.class);
        if (group.equals("apps")) {
            todo.add(Scale.class);
        }
        while (!todo.isEmpty()) {
            Class<?> c = todo.poll();
            String name = schemaName(c);
            if (!seen.add(name)) {
                continue;
            }
            schemas.set(name, schemaOf(c, todo, group, version));
        }
        return doc;
    }

    private static void addPaths(ObjectNode paths, String prefix, ResourceType rt) {
        String ref = "#/components/schemas/" + schemaName(rt.type());
        String coll = rt.namespaced() ? prefix + "/namespaces/{namespace}/" + rt.resource() : prefix + "/" + rt.resource();
        ObjectNode c = paths.putObject(coll);
        c.set("get", op(rt, "list", null, ref, false));
        c.set("post", op(rt, "post", "application/json", ref, true));
        c.set("delete", op(rt, "deletecollection", null, "#/components/schemas/" + schemaName(Status.class), false));
        if (rt.namespaced()) {
            paths.putObject(prefix + "/" + rt.resource()).set("get", op(rt, "list", null, ref, false));
        }
        ObjectNode one = paths.putObject(coll + "/{name}");
        one.set("get", op(rt, "get", null, ref, false));
        one.set("put", op(rt, "put", "application/json", ref, true));
        one.set("patch", op(rt, "patch", "patch", ref, true));
        one.set("delete", op(rt, "delete", null, ref, false));
        for (ResourceInfo.Sub s : ResourceInfo.subresources(rt)) {
            if (s.name().equals("log")) {
                paths.putObject(coll + "/{name}/log").set("get", op(rt, "get", null, null, false));
                continue;
            }
            if (s.verbs().equals(List.of("create"))) {
                paths.putObject(coll + "/{name}/" + s.name()).set("post", op(rt, "post", "application/json", null, true));
                continue;
            }
            String sref = s.kind().equals("Scale") ? "#/components/schemas/" + schemaName(Scale.class) : ref;
            ObjectNode sp = paths.putObject(coll + "/{name}/" + s.name());
            sp.set("get", op(rt, "get", null, sref, false));
            sp.set("put", op(rt, "put", "application/json", sref, true));
            sp.set("patch", op(rt, "patch", "patch", sref, true));
        }
    }

    private static ObjectNode op(ResourceType rt, String action, String body, String ref, boolean write) {
        ObjectNode op = Json.object();
        op.put("operationId", action + rt.kind());
        op.put("x-kubernetes-action", action);
        ObjectNode gvk = op.putObject("x-kubernetes-group-version-kind");
        gvk.put("group", rt.group());
        gvk.put("version", rt.version());
        gvk.put("kind", rt.kind());
        ArrayNode params = op.putArray("parameters");
        param(params, "name", "path");
        if (rt.namespaced()) {
            param(params, "namespace", "path");
        }
        param(params, "pretty", "query");
        if (write) {
            param(params, "dryRun", "query");
            param(params, "fieldManager", "query");
            param(params, "fieldValidation", "query");
        }
        if ("patch".equals(body)) {
            param(params, "force", "query");
        }
        if (body != null) {
            ObjectNode rb = op.putObject("requestBody");
            ObjectNode content = rb.putObject("content");
            if (body.equals("patch")) {
                for (String t : new String[] {"application/json-patch+json", "application/merge-patch+json",
                        "application/apply-patch+yaml"}) {
                    content.putObject(t).putObject("schema").put("type", "object");
                }
            } else {
                ObjectNode schema = content.putObject(body).putObject("schema");
                if (ref == null) {
                    schema.put("type", "object");
                } else {
                    schema.put("$ref", ref);
                }
            }
            rb.put("required", true);
        }
        ObjectNode ok = op.putObject("responses").putObject("200");
        ok.put("description", "OK");
        if (ref != null) {
            ok.putObject("content").putObject("application/json").putObject("schema").put("$ref", ref);
        }
        return op;
    }

    private static void param(ArrayNode params, String name, String in) {
        ObjectNode p = params.addObject();
        p.put("name", name);
        p.put("in", in);
        if (in.equals("path")) {
            p.put("required", true);
        }
        p.putObject("schema").put("type", "string").put("uniqueItems", true);
    }

    private static ObjectNode schemaOf(Class<?> c, Deque<Class<?>> todo, String group, String version) {
        ObjectNode s = Json.object();
        s.put("type", "object");
        s.put("description", c.getSimpleName());
        ObjectNode props = s.putObject("properties");
        ModelSchemas.of(c).properties().forEach((name, shape) -> props.set(name, property(shape, todo)));
        for (ResourceType rt : ResourceInfo.inGroup(group, version)) {
            if (rt.type() == c) {
                ObjectNode gvk = s.putArray("x-kubernetes-group-version-kind").addObject();
                gvk.put("group", rt.group());
                gvk.put("version", rt.version());
                gvk.put("kind", rt.kind());
            }
        }
        if (c == Scale.class) {
            ObjectNode gvk = s.putArray("x-kubernetes-group-version-kind").addObject();
            gvk.put("group", "autoscaling");
            gvk.put("version", "v1");
            gvk.put("kind", "Scale");
        }
        return s;
    }

    private static ObjectNode property(Shape shape, Deque<Class<?>> todo) {
        ObjectNode p = Json.object();
        if (shape instanceof Shape.Leaf leaf) {
            if (leaf.type().equals("any")) {
                p.put("type", "object");
                p.put("x-kubernetes-preserve-unknown-fields", true);
            } else if ("int-or-string".equals(leaf.format())) {
                p.put("x-kubernetes-int-or-string", true);
                p.putArray("anyOf").add(Json.object().put("type", "integer")).add(Json.object().put("type", "string"));
            } else {
                p.put("type", leaf.type());
                if (leaf.format() != null) {
                    p.put("format", leaf.format());
                }
            }
        } else if (shape instanceof Shape.Arr arr) {
            p.put("type", "array");
            p.set("items", property(arr.item(), todo));
        } else if (shape instanceof Shape.MapOf map) {
            p.put("type", "object");
            p.set("additionalProperties", property(map.value(), todo));
        } else if (shape instanceof Shape.Obj obj) {
            todo.add(obj.type());
            p.putArray("allOf").addObject().put("$ref", "#/components/schemas/" + schemaName(obj.type()));
        }
        return p;
    }

    /** Kubernetes-style schema names for fabric8 classes (io.k8s.api.core.v1.Pod, ...). */
    static String schemaName(Class<?> c) {
        String pkg = c.getPackageName();
        String simple = c.getName().substring(pkg.length() + 1).replace('$', '.');
        Set<String> meta = Set.of("ObjectMeta", "ListMeta", "Status", "StatusDetails", "StatusCause", "DeleteOptions",
                "Preconditions", "OwnerReference", "ManagedFieldsEntry", "LabelSelector", "LabelSelectorRequirement",
                "Condition", "FieldsV1");
        if (pkg.equals("io.fabric8.kubernetes.api.model")) {
            return (meta.contains(simple) ? "io.k8s.apimachinery.pkg.apis.meta.v1." : "io.k8s.api.core.v1.") + simple;
        }
        if (pkg.equals("io.fabric8.kubernetes.api.model.apps")) {
            return "io.k8s.api.apps.v1." + simple;
        }
        return pkg.replace("io.fabric8.kubernetes.api.model", "io.k8s.api") + "." + simple;
    }

    private static String sha256(byte[] b) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(b);
            return HexFormat.of().withUpperCase().formatHex(d, 0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
