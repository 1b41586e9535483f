package io.starling.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The API over HTTP against a MemoryClusterStore: status codes, bodies and semantics a client relies on. */
@Timeout(120)
class KubeApiServerTest {
    private static final ObjectMapper M = new ObjectMapper();
    private static final String CM = "/api/v1/namespaces/default/configmaps";
    private static final String DEPLOY = "/apis/apps/v1/namespaces/default/deployments";

    private final GatewayFixture f = new GatewayFixture();

    @AfterEach
    void close() {
        f.close();
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return M.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    private HttpResponse<String> post(String path, String body) {
        return f.send("POST", path, "application/json", body);
    }

    private static String deployment(String name, int replicas) {
        return "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"" + name + "\"},"
                + "\"spec\":{\"replicas\":" + replicas + ",\"selector\":{\"matchLabels\":{\"app\":\"" + name + "\"}},"
                + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"" + name + "\"}},"
                + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}}}";
    }

    private static void assertStatus(HttpResponse<String> r, int code, String reason) {
        assertEquals(code, r.statusCode(), r.body());
        JsonNode s = json(r);
        assertEquals("Status", s.path("kind").asText(), r.body());
        assertEquals(code, s.path("code").asInt());
        assertEquals(reason, s.path("reason").asText(), r.body());
    }

    @Test
    void versionAndHealth() {
        JsonNode v = json(f.get("/version"));
        assertEquals("1", v.path("major").asText());
        assertEquals("32", v.path("minor").asText());
        assertTrue(v.path("gitVersion").asText().startsWith("v1.32."));
        for (String p : List.of("/healthz", "/readyz", "/livez")) {
            assertEquals(200, f.get(p).statusCode());
        }
    }

    @Test
    void aggregatedDiscoveryHasExactContentTypeAndResourceDetails() {
        String accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";
        HttpResponse<String> r = f.send(0, "GET", "/apis", null, null, accept);
        assertEquals("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
                r.headers().firstValue("content-type").orElse(""));
        JsonNode apps = null;
        for (JsonNode item : json(r).path("items")) {
            if (item.path("metadata").path("name").asText().equals("apps")) {
                apps = item;
            }
        }
        assertNotNull(apps);
        JsonNode deploy = null;
        for (JsonNode res : apps.path("versions").get(0).path("resources")) {
            if (res.path("resource").asText().equals("deployments")) {
                deploy = res;
            }
        }
        assertNotNull(deploy);
        assertEquals("deploy", deploy.path("shortNames").get(0).asText());
        assertEquals("all", deploy.path("categories").get(0).asText());
        List<String> subs = new ArrayList<>();
        deploy.path("subresources").forEach(s -> subs.add(s.path("subresource").asText()));
        assertEquals(List.of("status", "scale"), subs);
        JsonNode core = json(f.send(0, "GET", "/api", null, null, accept));
        assertEquals("", core.path("items").get(0).path("metadata").path("name").asText());
        // legacy discovery for old clients
        assertEquals("APIVersions", json(f.get("/api")).path("kind").asText());
        assertEquals("APIGroupList", json(f.get("/apis")).path("kind").asText());
        JsonNode v1 = json(f.get("/api/v1"));
        assertTrue(v1.path("resources").toString().contains("\"pods/log\""));
    }

    @Test
    void openApiListsGroupVersionsAndAdvertisesFieldValidation() {
        JsonNode idx = json(f.get("/openapi/v3"));
        String url = idx.path("paths").path("apis/apps/v1").path("serverRelativeURL").asText();
        assertTrue(url.startsWith("/openapi/v3/apis/apps/v1?hash="), url);
        JsonNode doc = json(f.get(url));
        JsonNode patch = doc.path("paths").path("/apis/apps/v1/namespaces/{namespace}/deployments/{name}").path("patch");
        assertEquals("Deployment", patch.path("x-kubernetes-group-version-kind").path("kind").asText());
        assertTrue(patch.path("parameters").toString().contains("fieldValidation"));
        assertTrue(doc.path("components").path("schemas").path("io.k8s.api.apps.v1.Deployment").path("properties").has("spec"));
        assertEquals(404, f.get("/openapi/v3/apis/nope/v1").statusCode());
    }

    @Test
    void openApiV2IsJsonByDefaultAndProtobufWhenAsked() {
        HttpResponse<String> j = f.get("/openapi/v2");
        assertEquals(200, j.statusCode());
        assertEquals("application/json", j.headers().firstValue("content-type").orElse(""));
        JsonNode doc = json(j);
        assertEquals("2.0", doc.path("swagger").asText());
        assertEquals("Deployment", doc.path("definitions").path("io.k8s.api.apps.v1.Deployment")
                .path("x-kubernetes-group-version-kind").path(0).path("kind").asText());
        HttpResponse<String> pb = f.send(0, "GET", "/openapi/v2", null, null,
                "application/com.github.proto-openapi.spec.v2@v1.0+protobuf");
        assertEquals(200, pb.statusCode());
        assertEquals("application/com.github.proto-openapi.spec.v2.v1.0+protobuf",
                pb.headers().firstValue("content-type").orElse(""));
        assertTrue(pb.body().startsWith("\n\u00032.0"), "field 1 (swagger) comes first");
        assertEquals(405, f.send("POST", "/openapi/v2", "application/json", "{}").statusCode());
    }

    @Test
    void createGetListUpdateDelete() {
        HttpResponse<String> c = post(CM, "{\"metadata\":{\"name\":\"a\",\"labels\":{\"x\":\"1\"}},\"data\":{\"k\":\"v\"}}");
        assertEquals(201, c.statusCode(), c.body());
        JsonNode created = json(c);
        assertEquals("ConfigMap", created.path("kind").asText());
        assertFalse(created.path("metadata").path("uid").asText().isEmpty());
        assertFalse(created.path("metadata").path("creationTimestamp").asText().isEmpty());
        assertEquals("site-a", created.path("metadata").path("annotations").path("starling.io/home-site").asText());
        String rv = created.path("metadata").path("resourceVersion").asText();
        assertTrue(Long.parseLong(rv) > 0);

        assertEquals("v", json(f.get(CM + "/a")).path("data").path("k").asText());
        assertStatus(post(CM, "{\"metadata\":{\"name\":\"a\"}}"), 409, "AlreadyExists");

        JsonNode list = json(f.get(CM));
        assertEquals("ConfigMapList", list.path("kind").asText());
        assertEquals(1, list.path("items").size());
        assertTrue(Long.parseLong(list.path("metadata").path("resourceVersion").asText()) >= Long.parseLong(rv));

        HttpResponse<String> u = f.send("PUT", CM + "/a", "application/json",
                "{\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"" + rv + "\"},\"data\":{\"k\":\"w\"}}");
        assertEquals(200, u.statusCode(), u.body());
        assertEquals(created.path("metadata").path("uid"), json(u).path("metadata").path("uid"));
        assertNotEquals(rv, json(u).path("metadata").path("resourceVersion").asText());

        // the same stale resourceVersion again is a conflict
        assertStatus(f.send("PUT", CM + "/a", "application/json",
                "{\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"" + rv + "\"},\"data\":{\"k\":\"x\"}}"), 409, "Conflict");

        HttpResponse<String> d = f.send("DELETE", CM + "/a", null, null);
        assertEquals(200, d.statusCode(), d.body());
        assertStatus(f.get(CM + "/a"), 404, "NotFound");
        assertStatus(f.send("DELETE", CM + "/a", null, null), 404, "NotFound");
    }

    @Test
    void badInputGetsStatusAndServerKeepsAnswering() {
        assertStatus(post(CM, "{not json"), 400, "BadRequest");
        assertStatus(post(CM, "[1,2]"), 400, "BadRequest");
        assertStatus(f.send("POST", CM, "application/yaml", "a: [unclosed"), 400, "BadRequest");
        // 415 while ProtobufBodies is a placeholder, 400 once it decodes: either way a Status, never a crash
        HttpResponse<String> proto = f.send("POST", CM, "application/vnd.kubernetes.protobuf", "garbage");
        assertTrue(proto.statusCode() == 400 || proto.statusCode() == 415, proto.body());
        assertEquals("Status", json(proto).path("kind").asText());
        assertStatus(f.send("POST", CM, "text/csv", "a,b"), 415, "UnsupportedMediaType");
        assertStatus(post(CM, "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\"}}"), 400, "BadRequest");
        assertStatus(post(CM, "{\"metadata\":{\"name\":\"Not_Valid\"}}"), 422, "Invalid");
        assertStatus(post(CM, "{\"metadata\":{\"name\":\"a\"},\"data\":\"notamap\"}"), 400, "BadRequest");
        assertStatus(f.get("/api/v1/nonsense"), 404, "NotFound");
        assertStatus(f.get("/no/such/path"), 404, "NotFound");
        assertStatus(f.send("PUT", CM, "application/json", "{}"), 405, "MethodNotAllowed");
        assertStatus(f.send("DELETE", "/api/v1/namespaces/default", null, null), 403, "Forbidden");
        assertStatus(f.get(CM + "?labelSelector=a%20in%20(b"), 400, "BadRequest");
        assertEquals(200, f.get("/version").statusCode());
    }

    @Test
    void undecodableUriIsABadRequest() throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", f.servers.get(0).address().getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /api/v1/namespaces?labelSelector=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            assertTrue(answer.contains("\"reason\":\"BadRequest\""), answer);
        }
        assertEquals(200, f.get("/version").statusCode());
    }

    @Test
    void oversizedBodyIs413() {
        f.start(GatewayConfig.plain("127.0.0.1", 0, "site-b").withMaxBodyBytes(1024));
        String big = "{\"metadata\":{\"name\":\"big\"},\"data\":{\"k\":\"" + "x".repeat(4096) + "\"}}";
        assertStatus(f.send(1, "POST", CM, "application/json", big, null), 413, "RequestEntityTooLarge");
        assertEquals(200, f.send(1, "GET", "/version", null, null, null).statusCode());
    }

    @Test
    void namespaceMustExistAndNewNamespacesGetDefaultServiceAccount() {
        assertStatus(post("/api/v1/namespaces/nope/configmaps", "{\"metadata\":{\"name\":\"a\"}}"), 404, "NotFound");
        assertEquals(201, post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"team\"}}").statusCode());
        JsonNode ns = json(f.get("/api/v1/namespaces/team"));
        assertEquals("Active", ns.path("status").path("phase").asText());
        assertEquals(201, post("/api/v1/namespaces/team/configmaps", "{\"metadata\":{\"name\":\"a\"}}").statusCode());
        assertEquals(200, f.get("/api/v1/namespaces/team/serviceaccounts/default").statusCode());
        // deleting a namespace removes its contents
        assertEquals(200, f.send("DELETE", "/api/v1/namespaces/team", null, null).statusCode());
        assertEquals(404, f.get("/api/v1/namespaces/team/configmaps/a").statusCode());
    }

    @Test
    void seedObjectsExistOnceEvenWithTwoServers() {
        f.start(GatewayConfig.plain("127.0.0.1", 0, "site-b"));
        JsonNode ns = json(f.get("/api/v1/namespaces"));
        List<String> names = new ArrayList<>();
        ns.path("items").forEach(i -> names.add(i.path("metadata").path("name").asText()));
        assertEquals(List.of("default", "kube-node-lease", "kube-public", "kube-system"), names);
        JsonNode svc = json(f.get("/api/v1/namespaces/default/services/kubernetes"));
        assertEquals("127.96.0.1", svc.path("spec").path("clusterIP").asText(), "the first address of the service range");
        assertEquals(443, svc.path("spec").path("ports").get(0).path("port").asInt());
        assertEquals(200, f.get("/api/v1/namespaces/kube-system/serviceaccounts/default").statusCode());
    }

    @Test
    void servicesGetAClusterIpFromTheRangeAndABadRequestIsA422() {
        String svcs = "/api/v1/namespaces/default/services";
        JsonNode web = json(post(svcs, "{\"metadata\":{\"name\":\"web\"},\"spec\":{\"ports\":[{\"port\":80}]}}"));
        String ip = web.path("spec").path("clusterIP").asText();
        assertTrue(ip.startsWith("127.96.") && !ip.equals("127.96.0.1"), ip);
        JsonNode headless = json(post(svcs, "{\"metadata\":{\"name\":\"h\"},\"spec\":{\"clusterIP\":\"None\",\"ports\":[{\"port\":80}]}}"));
        assertEquals("None", headless.path("spec").path("clusterIP").asText());
        HttpResponse<String> taken = post(svcs, "{\"metadata\":{\"name\":\"copy\"},\"spec\":{\"clusterIP\":\"" + ip
                + "\",\"ports\":[{\"port\":80}]}}");
        assertEquals(422, taken.statusCode(), taken.body());
        assertEquals("Status", json(taken).path("kind").asText());
        assertTrue(taken.body().contains("provided IP is already allocated"), taken.body());
        HttpResponse<String> outside = post(svcs, "{\"metadata\":{\"name\":\"out\"},\"spec\":{\"clusterIP\":\"10.0.0.9\",\"ports\":[{\"port\":80}]}}");
        assertEquals(422, outside.statusCode(), outside.body());
        assertTrue(outside.body().contains("The range of valid IPs is 127.96.0.0/16"), outside.body());
        // creating it again is a 409 and leaves the existing Service's address claimed
        assertEquals(409, post(svcs, "{\"metadata\":{\"name\":\"web\"},\"spec\":{\"ports\":[{\"port\":80}]}}").statusCode());
        assertEquals(422, post(svcs, "{\"metadata\":{\"name\":\"thief\"},\"spec\":{\"clusterIP\":\"" + ip
                + "\",\"ports\":[{\"port\":80}]}}").statusCode());
        HttpResponse<String> change = f.send("PATCH", svcs + "/web", "application/merge-patch+json",
                "{\"spec\":{\"clusterIP\":\"127.96.9.9\"}}");
        assertEquals(422, change.statusCode(), change.body());
        assertTrue(change.body().contains("field is immutable"), change.body());
        // deleting the Service frees its address for a Service that asks for it
        assertEquals(200, f.send("DELETE", svcs + "/web", null, null).statusCode());
        JsonNode again = json(post(svcs, "{\"metadata\":{\"name\":\"copy\"},\"spec\":{\"clusterIP\":\"" + ip
                + "\",\"ports\":[{\"port\":80}]}}"));
        assertEquals(ip, again.path("spec").path("clusterIP").asText());
    }

    @Test
    void generateNameDryRunAndSecretStringData() {
        JsonNode g = json(post(CM, "{\"metadata\":{\"generateName\":\"gen-\"}}"));
        assertTrue(g.path("metadata").path("name").asText().matches("gen-[a-z0-9]{5}"), g.toString());

        HttpResponse<String> dry = post(CM + "?dryRun=All", "{\"metadata\":{\"name\":\"dry\"}}");
        assertEquals(201, dry.statusCode());
        assertEquals(404, f.get(CM + "/dry").statusCode());
        // dry-run delete, asked in the query or (kubectl 1.20) in DeleteOptions: the object stays
        assertEquals(200, f.send("DELETE", CM + "/" + g.path("metadata").path("name").asText() + "?dryRun=All", null, null).statusCode());
        assertEquals(200, f.send("DELETE", CM + "/" + g.path("metadata").path("name").asText(), "application/json",
                "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"dryRun\":[\"All\"]}").statusCode());
        assertEquals(200, f.get(CM + "/" + g.path("metadata").path("name").asText()).statusCode());
        assertStatus(f.send("DELETE", CM + "/" + g.path("metadata").path("name").asText(), "application/json",
                "{\"dryRun\":[\"Some\"]}"), 400, "BadRequest");

        JsonNode s = json(post("/api/v1/namespaces/default/secrets",
                "{\"metadata\":{\"name\":\"s\"},\"stringData\":{\"p\":\"hunter2\"},\"data\":{\"q\":\"eA==\"}}"));
        assertEquals(Base64.getEncoder().encodeToString("hunter2".getBytes(StandardCharsets.UTF_8)), s.path("data").path("p").asText());
        assertEquals("eA==", s.path("data").path("q").asText());
        assertFalse(s.has("stringData"));
        assertEquals("Opaque", s.path("type").asText());
        assertStatus(post("/api/v1/namespaces/default/secrets", "{\"metadata\":{\"name\":\"b\"},\"data\":{\"q\":\"not base64!\"}}"),
                400, "BadRequest");
    }

    @Test
    void deploymentDefaultsGenerationAndStatusSubresource() {
        JsonNode d = json(post(DEPLOY, deployment("web", 2)));
        assertEquals("RollingUpdate", d.path("spec").path("strategy").path("type").asText());
        assertEquals("25%", d.path("spec").path("strategy").path("rollingUpdate").path("maxSurge").asText());
        assertEquals(10, d.path("spec").path("revisionHistoryLimit").asInt());
        assertEquals(600, d.path("spec").path("progressDeadlineSeconds").asInt());
        JsonNode pod = d.path("spec").path("template").path("spec");
        assertEquals("Always", pod.path("restartPolicy").asText());
        assertEquals(30, pod.path("terminationGracePeriodSeconds").asInt());
        assertEquals("Always", pod.path("containers").get(0).path("imagePullPolicy").asText(), "untagged image pulls always");
        assertEquals("/dev/termination-log", pod.path("containers").get(0).path("terminationMessagePath").asText());
        assertEquals(1, d.path("metadata").path("generation").asInt());

        // a status write does not touch spec, and a spec write does not touch status
        JsonNode st = json(f.send("PATCH", DEPLOY + "/web/status", "application/merge-patch+json",
                "{\"spec\":{\"replicas\":9},\"status\":{\"readyReplicas\":2}}"));
        assertEquals(2, st.path("spec").path("replicas").asInt());
        assertEquals(2, st.path("status").path("readyReplicas").asInt());
        assertEquals(1, st.path("metadata").path("generation").asInt());
        JsonNode sp = json(f.send("PATCH", DEPLOY + "/web", "application/merge-patch+json",
                "{\"spec\":{\"replicas\":4},\"status\":{\"readyReplicas\":0}}"));
        assertEquals(4, sp.path("spec").path("replicas").asInt());
        assertEquals(2, sp.path("status").path("readyReplicas").asInt());
        assertEquals(2, sp.path("metadata").path("generation").asInt());

        // invalid deployments are 422
        assertStatus(post(DEPLOY, "{\"metadata\":{\"name\":\"bad\"},\"spec\":{\"template\":{}}}"), 422, "Invalid");
    }

    @Test
    void fieldValidationStrictWarnIgnore() {
        String body = "{\"metadata\":{\"name\":\"v\"},\"data\":{},\"bogus\":1}";
        HttpResponse<String> strict = post(CM + "?fieldValidation=Strict", body);
        assertStatus(strict, 400, "BadRequest");
        assertTrue(json(strict).path("message").asText().contains("unknown field \"bogus\""), strict.body());
        HttpResponse<String> nested = post(DEPLOY + "?fieldValidation=Strict",
                deployment("n", 1).replace("\"image\":\"nginx\"", "\"image\":\"nginx\",\"imagee\":\"x\""));
        assertTrue(json(nested).path("message").asText().contains("spec.template.spec.containers[0].imagee"), nested.body());
        HttpResponse<String> warn = post(CM + "?fieldValidation=Warn", body);
        assertEquals(201, warn.statusCode());
        assertTrue(warn.headers().firstValue("warning").orElse("").contains("unknown field \\\"bogus\\\""),
                warn.headers().map().toString());
        HttpResponse<String> ignore = post(CM + "?fieldValidation=Ignore", body.replace("\"v\"", "\"w\""));
        assertEquals(201, ignore.statusCode());
        assertTrue(ignore.headers().firstValue("warning").isEmpty());
    }

    @Test
    void jsonPatchMergePatchAndScale() {
        post(DEPLOY, deployment("web", 1));
        JsonNode jp = json(f.send("PATCH", DEPLOY + "/web", "application/json-patch+json",
                "[{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"tier\":\"front\"}}]"));
        assertEquals("front", jp.path("metadata").path("labels").path("tier").asText());
        assertStatus(f.send("PATCH", DEPLOY + "/web", "application/json-patch+json",
                "[{\"op\":\"test\",\"path\":\"/spec/replicas\",\"value\":7}]"), 422, "Invalid");
        JsonNode mp = json(f.send("PATCH", DEPLOY + "/web", "application/merge-patch+json",
                "{\"metadata\":{\"labels\":{\"tier\":null,\"x\":\"y\"}}}"));
        assertFalse(mp.path("metadata").path("labels").has("tier"));
        assertEquals("y", mp.path("metadata").path("labels").path("x").asText());
        assertStatus(f.send("PATCH", DEPLOY + "/web", "application/merge-patch+json",
                "{\"metadata\":{\"resourceVersion\":\"1\"},\"spec\":{\"replicas\":2}}"), 409, "Conflict");
        assertStatus(f.send("PATCH", DEPLOY + "/web", "application/apply-patch+yaml", "spec: {}"), 400, "BadRequest");
        assertStatus(f.send("PATCH", DEPLOY + "/nope", "application/merge-patch+json", "{}"), 404, "NotFound");

        JsonNode scale = json(f.get(DEPLOY + "/web/scale"));
        assertEquals("Scale", scale.path("kind").asText());
        assertEquals("autoscaling/v1", scale.path("apiVersion").asText());
        assertEquals(1, scale.path("spec").path("replicas").asInt());
        assertEquals("app=web", scale.path("status").path("selector").asText());
        JsonNode scaled = json(f.send("PATCH", DEPLOY + "/web/scale", "application/merge-patch+json", "{\"spec\":{\"replicas\":3}}"));
        assertEquals(3, scaled.path("spec").path("replicas").asInt());
        assertEquals(3, json(f.get(DEPLOY + "/web")).path("spec").path("replicas").asInt());
        HttpResponse<String> put = f.send("PUT", DEPLOY + "/web/scale", "application/json",
                "{\"kind\":\"Scale\",\"apiVersion\":\"autoscaling/v1\",\"metadata\":{\"name\":\"web\",\"resourceVersion\":\""
                        + scale.path("metadata").path("resourceVersion").asText() + "\"},\"spec\":{\"replicas\":5}}");
        assertStatus(put, 409, "Conflict");
    }

    @Test
    void selectorsFilterLists() {
        post(CM, "{\"metadata\":{\"name\":\"a\",\"labels\":{\"env\":\"prod\",\"tier\":\"web\"}}}");
        post(CM, "{\"metadata\":{\"name\":\"b\",\"labels\":{\"env\":\"dev\"}}}");
        post(CM, "{\"metadata\":{\"name\":\"c\"}}");
        assertEquals(List.of("a"), names(CM + "?labelSelector=env%3Dprod"));
        assertEquals(List.of("a", "b"), names(CM + "?labelSelector=env%20in%20(prod,dev)"));
        assertEquals(List.of("b", "c"), names(CM + "?labelSelector=env!%3Dprod"));
        assertEquals(List.of("c"), names(CM + "?labelSelector=!env"));
        assertEquals(List.of("a"), names(CM + "?labelSelector=tier"));
        assertEquals(List.of("b"), names(CM + "?fieldSelector=metadata.name%3Db"));
        assertEquals(List.of("a", "c"), names("/api/v1/configmaps?fieldSelector=metadata.name!%3Db"));
    }

    private List<String> names(String path) {
        List<String> out = new ArrayList<>();
        json(f.get(path)).path("items").forEach(i -> out.add(i.path("metadata").path("name").asText()));
        return out;
    }

    @Test
    void tablesHaveKindColumnsAndPartialMetadata() {
        post(DEPLOY, deployment("web", 2));
        String accept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
        JsonNode t = json(f.send(0, "GET", DEPLOY, null, null, accept));
        assertEquals("Table", t.path("kind").asText());
        List<String> cols = new ArrayList<>();
        t.path("columnDefinitions").forEach(c -> cols.add(c.path("name").asText() + ":" + c.path("priority").asInt()));
        assertEquals(List.of("Name:0", "Ready:0", "Up-to-date:0", "Available:0", "Age:0", "Containers:1", "Images:1",
                "Selector:1"), cols);
        JsonNode row = t.path("rows").get(0);
        assertEquals("web", row.path("cells").get(0).asText());
        assertEquals("0/2", row.path("cells").get(1).asText());
        assertEquals("PartialObjectMetadata", row.path("object").path("kind").asText());
        JsonNode full = json(f.send(0, "GET", DEPLOY + "?includeObject=Object", null, null, accept));
        assertEquals("Deployment", full.path("rows").get(0).path("object").path("kind").asText());
    }

    @Test
    void watchStreamsEventsWrittenThroughAnotherServer() throws Exception {
        f.start(GatewayConfig.plain("127.0.0.1", 0, "site-b"));
        JsonNode list = json(f.get(CM));
        String rv = list.path("metadata").path("resourceVersion").asText();
        HttpRequest req = HttpRequest.newBuilder(URI.create(f.url() + CM + "?watch=true&resourceVersion=" + rv)).build();
        HttpResponse<InputStream> stream = f.http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, stream.statusCode());
        try (BufferedReader r = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            f.send(1, "POST", CM, "application/json", "{\"metadata\":{\"name\":\"w\"},\"data\":{\"a\":\"1\"}}", null);
            f.send(1, "PATCH", CM + "/w", "application/merge-patch+json", "{\"data\":{\"a\":\"2\"}}", null);
            f.send(1, "DELETE", CM + "/w", null, null, null);
            List<String> types = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                JsonNode ev = M.readTree(r.readLine());
                types.add(ev.path("type").asText());
                assertEquals("w", ev.path("object").path("metadata").path("name").asText());
            }
            assertEquals(List.of("ADDED", "MODIFIED", "DELETED"), types);
        }
    }

    @Test
    void watchWithoutResourceVersionStartsWithCurrentObjectsAndHonoursTimeout() throws Exception {
        post(CM, "{\"metadata\":{\"name\":\"a\"}}");
        HttpResponse<String> r = f.http.send(HttpRequest.newBuilder(URI.create(f.url() + CM + "?watch=1&timeoutSeconds=1"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        String[] lines = r.body().trim().split("\n");
        assertEquals(1, lines.length, r.body());
        assertEquals("ADDED", M.readTree(lines[0]).path("type").asText());
    }

    @Test
    void tooManyRequestsInFlightGet429() throws Exception {
        java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Authenticator slow = r -> {
            if (r.path().equals("/slow")) {
                entered.countDown();
                try {
                    release.await(20, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Authenticator.ALLOW_ALL.authenticate(r);
        };
        f.start(GatewayConfig.plain("127.0.0.1", 0, "site-b").withAuthenticator(slow).withMaxInFlightRequests(1));
        java.util.concurrent.CompletableFuture<HttpResponse<String>> first = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> f.send(1, "GET", "/slow", null, null, null));
        assertTrue(entered.await(20, java.util.concurrent.TimeUnit.SECONDS));
        HttpResponse<String> rejected = f.send(1, "GET", "/version", null, null, null);
        assertStatus(rejected, 429, "TooManyRequests");
        assertEquals("1", rejected.headers().firstValue("retry-after").orElse(""));
        release.countDown();
        assertEquals(404, first.get(20, java.util.concurrent.TimeUnit.SECONDS).statusCode());
        assertEquals(200, f.send(1, "GET", "/version", null, null, null).statusCode());
    }

    @Test
    void podBindingAndEviction() {
        String pods = "/api/v1/namespaces/default/pods";
        assertEquals(201, post(pods, "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i:1\"}]}}")
                .statusCode());
        String binding = "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"p\"},\"target\":{\"kind\":\"Node\",\"name\":\"n1\"}}";
        assertEquals(201, post(pods + "/p/binding", binding).statusCode());
        assertEquals("n1", json(f.get(pods + "/p")).path("spec").path("nodeName").asText());
        assertStatus(post(pods + "/p/binding", binding), 409, "Conflict");
        assertEquals(1, json(f.get(pods + "?fieldSelector=spec.nodeName%3Dn1")).path("items").size());
        HttpResponse<String> ev = post(pods + "/p/eviction", "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"p\"}}");
        assertEquals(201, ev.statusCode(), ev.body());
        assertStatus(f.get(pods + "/p"), 404, "NotFound");
    }

    @Test
    void nodePortServicesGetStableNodePortsInTheRange() {
        String svcs = "/api/v1/namespaces/default/services";
        String svc = "{\"metadata\":{\"name\":\"web\"},\"spec\":{\"type\":\"NodePort\",\"selector\":{\"app\":\"web\"},"
                + "\"ports\":[{\"name\":\"http\",\"port\":80},{\"name\":\"admin\",\"port\":81,\"nodePort\":31000}]}}";
        HttpResponse<String> r = post(svcs, svc);
        assertEquals(201, r.statusCode(), r.body());
        JsonNode ports = json(r).path("spec").path("ports");
        int allocated = ports.get(0).path("nodePort").asInt();
        assertTrue(allocated >= 30000 && allocated <= 32767, "node port in 30000-32767: " + allocated);
        assertEquals(31000, ports.get(1).path("nodePort").asInt(), "a requested node port is kept");
    }

    @Test
    void deletingABoundPodMarksItForItsNodeAgentUnlessTheGracePeriodIsZero() {
        String pods = "/api/v1/namespaces/default/pods";
        String pod = "{\"metadata\":{\"name\":\"%s\"},\"spec\":{%s\"containers\":[{\"name\":\"c\",\"image\":\"i:1\"}]}}";
        assertEquals(201, post(pods, pod.formatted("bound", "\"nodeName\":\"n1\",\"terminationGracePeriodSeconds\":5,")).statusCode());
        assertEquals(201, post(pods, pod.formatted("unbound", "")).statusCode());

        HttpResponse<String> marked = f.send("DELETE", pods + "/bound", "application/json", "");
        assertEquals(200, marked.statusCode(), marked.body());
        JsonNode meta = json(f.get(pods + "/bound")).path("metadata");
        assertTrue(meta.hasNonNull("deletionTimestamp"), "a bound pod stays until its agent stopped it: " + meta);
        assertEquals(5, meta.path("deletionGracePeriodSeconds").asInt(), "the pod's terminationGracePeriodSeconds");
        assertEquals(200, f.send("DELETE", pods + "/bound", "application/json", "").statusCode(), "deleting again is fine");

        HttpResponse<String> forced = f.send("DELETE", pods + "/bound", "application/json", "{\"gracePeriodSeconds\":0}");
        assertEquals(200, forced.statusCode(), forced.body());
        assertStatus(f.get(pods + "/bound"), 404, "NotFound");
        assertEquals(200, f.send("DELETE", pods + "/unbound", "application/json", "").statusCode());
        assertStatus(f.get(pods + "/unbound"), 404, "NotFound");
    }

    @Test
    void unauthenticatedRequestsGet401() {
        f.start(GatewayConfig.plain("127.0.0.1", 0, "site-b").withAuthenticator(r -> java.util.Optional.empty()));
        assertStatus(f.send(1, "GET", CM, null, null, null), 401, "Unauthorized");
    }
}
