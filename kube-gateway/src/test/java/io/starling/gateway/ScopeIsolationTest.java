package io.starling.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.ssl.ClientAuth;
import io.starling.core.security.ClusterCa;
import io.starling.core.security.Keys;
import io.starling.core.security.Pem;
import io.starling.core.security.PeerTls;
import io.starling.core.time.SystemClock;
import io.starling.gateway.scope.Tokens;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenancy on two HTTPS gateways sharing one store (two "super-peers"): a user of scope A, by
 * client certificate or bearer token, cannot read, list, watch, change or delete scope B's
 * objects on either server; a revoked token is refused; the cluster admin still sees everything.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScopeIsolationTest {
    private static final ObjectMapper M = new ObjectMapper();
    private static final String SCOPES = "/apis/scopes.starling.io/v1alpha1/scopes";
    private static final String CAROL_TOKEN = "carol-token-0123456789";
    private static final String DAVE_TOKEN = "dave-token-0123456789";

    @TempDir
    static Path dir;
    private GatewayFixture f;
    private ClusterCa ca;
    private HttpClient admin;
    private HttpClient alice;
    private HttpClient anonymous;

    @BeforeAll
    void start() throws Exception {
        ca = ClusterCa.create("test", SystemClock.INSTANCE);
        KeyPair serverKey = Keys.newEcP256();
        X509Certificate serverCert = ca.issueServerCertificate(serverKey, List.of("127.0.0.1", "localhost"));
        var ssl = PeerTls.httpsServer(serverKey.getPrivate(), serverCert, ca.certificate(), ClientAuth.OPTIONAL).build();
        f = new GatewayFixture(0);
        for (String site : List.of("site-a", "site-b")) {
            f.start(GatewayConfig.plain("127.0.0.1", 0, site).withSsl(ssl).withTenancy());
        }
        admin = client(ca.issueClientCertificate("admin", List.of("system:masters")));
        alice = client(ca.issueClientCertificate("alice", List.of("team-a")));
        anonymous = client(null);

        for (String ns : List.of("a1", "b1")) {
            ok(send(admin, 0, "POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + ns + "\"}}", null));
            ok(send(admin, 0, "POST", "/api/v1/namespaces/" + ns + "/configmaps", "{\"metadata\":{\"name\":\"cm\"},\"data\":{\"k\":\"" + ns + "\"}}", null));
            ok(send(admin, 0, "POST", "/api/v1/namespaces/" + ns + "/pods",
                    "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}", null));
        }
        ok(send(admin, 0, "POST", SCOPES, scope("scope-a", List.of("a1", "a2"),
                "{\"user\":\"alice\",\"role\":\"owner\"},{\"user\":\"carol\",\"role\":\"member\",\"tokenHashes\":[\""
                        + Tokens.sha256Hex(CAROL_TOKEN) + "\"]}"), null));
        ok(send(admin, 0, "POST", SCOPES, scope("scope-b", List.of("b1"),
                "{\"user\":\"bob\",\"role\":\"owner\"},{\"user\":\"dave\",\"role\":\"member\",\"tokenHashes\":[\""
                        + Tokens.sha256Hex(DAVE_TOKEN) + "\"]}"), null));
        for (int s = 0; s < 2; s++) {
            int server = s;
            await(() -> f.servers.get(server).scopes().snapshot().scopeCount() == 2);
        }
    }

    @AfterAll
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    private static String scope(String name, List<String> namespaces, String members) {
        return "{\"apiVersion\":\"scopes.starling.io/v1alpha1\",\"kind\":\"Scope\",\"metadata\":{\"name\":\"" + name
                + "\"},\"spec\":{\"namespaces\":" + namespaces.stream().map(n -> "\"" + n + "\"").toList()
                + ",\"members\":[" + members + "]}}";
    }

    @Test
    void scopeUserCannotTouchAnotherScopesObjectsOnEitherServer() throws Exception {
        for (int s = 0; s < 2; s++) {
            assertEquals(200, send(alice, s, "GET", "/api/v1/namespaces/a1/configmaps/cm", null, null).statusCode());
            HttpResponse<String> get = send(alice, s, "GET", "/api/v1/namespaces/b1/configmaps/cm", null, null);
            assertForbidden(get);
            assertTrue(get.body().contains("User \\\"alice\\\" cannot get resource \\\"configmaps\\\""), get.body());
            // the same answer for an object that does not exist: a 403 does not reveal existence
            assertForbidden(send(alice, s, "GET", "/api/v1/namespaces/b1/configmaps/nothing-here", null, null));
            assertForbidden(send(alice, s, "GET", "/api/v1/namespaces/b1/configmaps", null, null));
            assertForbidden(send(alice, s, "GET", "/api/v1/namespaces/b1/configmaps?watch=true&timeoutSeconds=1", null, null));
            assertForbidden(send(alice, s, "PATCH", "/api/v1/namespaces/b1/configmaps/cm", "{\"data\":{\"k\":\"x\"}}",
                    "application/merge-patch+json"));
            assertForbidden(send(alice, s, "PUT", "/api/v1/namespaces/b1/configmaps/cm",
                    "{\"metadata\":{\"name\":\"cm\",\"namespace\":\"b1\"},\"data\":{\"k\":\"x\"}}", null));
            assertForbidden(send(alice, s, "DELETE", "/api/v1/namespaces/b1/configmaps/cm", null, null));
            assertForbidden(send(alice, s, "DELETE", "/api/v1/namespaces/b1/pods/p", null, null));
            assertForbidden(send(alice, s, "POST", "/api/v1/namespaces/b1/configmaps", "{\"metadata\":{\"name\":\"x\"}}", null));
            assertForbidden(send(alice, s, "GET", "/api/v1/namespaces/b1/pods/p/log", null, null));
            HttpResponse<String> exec = send(alice, s, "GET", "/api/v1/namespaces/b1/pods/p/exec?command=true&stdout=true", null, null);
            assertForbidden(exec);
            assertTrue(exec.body().contains("cannot create resource \\\"pods/exec\\\""), "exec is a create on pods/exec: " + exec.body());
            assertForbidden(send(alice, s, "POST", "/api/v1/namespaces/b1/pods/p/exec?command=true&stdout=true", null, null));
            assertForbidden(send(alice, s, "GET", "/api/v1/namespaces/b1", null, null));
            assertForbidden(send(alice, s, "DELETE", "/api/v1/namespaces/b1", null, null));
            assertForbidden(send(alice, s, "DELETE", "/api/v1/configmaps", null, null));
            assertForbidden(send(alice, s, "GET", SCOPES, null, null));
            // a token user of scope B is kept out of scope A the same way
            assertForbidden(send(anonymous, s, "GET", "/api/v1/namespaces/a1/configmaps/cm", null, DAVE_TOKEN));
        }
        HttpResponse<String> b = send(admin, 1, "GET", "/api/v1/namespaces/b1/configmaps/cm", null, null);
        assertEquals(200, b.statusCode());
        assertEquals("b1", M.readTree(b.body()).path("data").path("k").asText(), "nothing was changed by the denied writes");
    }

    @Test
    void listsAreFilteredToTheUsersNamespaces() throws Exception {
        for (int s = 0; s < 2; s++) {
            assertEquals(List.of("a1"), names(send(alice, s, "GET", "/api/v1/namespaces", null, null), "name"));
            assertEquals(List.of("a1"), names(send(alice, s, "GET", "/api/v1/configmaps", null, null), "namespace"));
            assertEquals(List.of("a1"), names(send(alice, s, "GET", "/api/v1/pods", null, null), "namespace"));
            assertEquals(List.of("b1"), names(send(anonymous, s, "GET", "/api/v1/pods", null, DAVE_TOKEN), "namespace"));
            List<String> all = names(send(admin, s, "GET", "/api/v1/configmaps", null, null), "namespace");
            assertTrue(all.contains("a1") && all.contains("b1"), "admin sees every namespace: " + all);
        }
    }

    @Test
    void membersReadNodesButOnlyAdminsWriteClusterObjects() {
        ok(send(admin, 0, "POST", "/api/v1/nodes", "{\"metadata\":{\"name\":\"n1\"}}", null));
        assertEquals(200, send(alice, 1, "GET", "/api/v1/nodes", null, null).statusCode());
        assertEquals(200, send(alice, 1, "GET", "/api/v1/nodes/n1", null, null).statusCode());
        assertForbidden(send(alice, 1, "POST", "/api/v1/nodes", "{\"metadata\":{\"name\":\"n2\"}}", null));
        assertForbidden(send(alice, 1, "DELETE", "/api/v1/nodes/n1", null, null));
        assertForbidden(send(alice, 1, "PATCH", "/api/v1/nodes/n1", "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}",
                "application/merge-patch+json"));
        // an owner may create a namespace its scope lists, not another; a member may not create one
        assertForbidden(send(alice, 0, "POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"zz\"}}", null));
        assertForbidden(send(anonymous, 0, "POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"a2\"}}", CAROL_TOKEN));
        ok(send(alice, 0, "POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"a2\"}}", null));
        assertEquals(200, send(anonymous, 1, "GET", "/api/v1/namespaces/a2", null, CAROL_TOKEN).statusCode());
        ok(send(alice, 1, "DELETE", "/api/v1/namespaces/a2", null, null));
    }

    @Test
    void watchAcrossNamespacesDeliversOnlyTheUsersEvents() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpRequest req = request(1, "GET", "/api/v1/configmaps?watch=true&resourceVersion="
                + M.readTree(send(admin, 0, "GET", "/api/v1/configmaps", null, null).body()).path("metadata").path("resourceVersion").asText()
                + "&timeoutSeconds=8", null, null, null);
        var stream = alice.sendAsync(req, HttpResponse.BodyHandlers.ofLines())
                .thenAccept(r -> r.body().forEach(lines::add));
        Thread.sleep(300); // let the watch subscribe; events created before it would be replayed anyway
        ok(send(admin, 0, "POST", "/api/v1/namespaces/b1/configmaps", "{\"metadata\":{\"name\":\"w-b\"}}", null));
        ok(send(admin, 0, "PATCH", "/api/v1/namespaces/b1/configmaps/cm", "{\"data\":{\"k\":\"b1\",\"w\":\"1\"}}",
                "application/merge-patch+json"));
        ok(send(admin, 0, "POST", "/api/v1/namespaces/a1/configmaps", "{\"metadata\":{\"name\":\"w-a\"}}", null));
        List<String> got = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 15_000;
        while (got.stream().noneMatch(l -> l.contains("\"w-a\"")) && System.currentTimeMillis() < deadline) {
            String l = lines.poll(200, TimeUnit.MILLISECONDS);
            if (l != null) {
                got.add(l);
            }
        }
        stream.get(20, TimeUnit.SECONDS); // the server ends the stream after timeoutSeconds: no connection left behind
        assertTrue(got.stream().anyMatch(l -> l.contains("\"w-a\"")), "own event delivered: " + got);
        assertFalse(got.stream().anyMatch(l -> l.contains("\"b1\"")), "no event of scope B leaked: " + got);
    }

    @Test
    void requestsWithoutCredentialsOrWithARevokedTokenGet401() throws Exception {
        HttpResponse<String> none = send(anonymous, 0, "GET", "/api/v1/namespaces", null, null);
        assertEquals(401, none.statusCode());
        assertEquals("Unauthorized", M.readTree(none.body()).path("reason").asText());
        assertEquals(401, send(anonymous, 0, "GET", "/api/v1/namespaces", null, "not-a-token").statusCode());
        // grant erin a token in scope A, then revoke her: the admin rewrites scope A without her
        String erinToken = "erin-token-0123456789";
        JsonNode a = M.readTree(send(admin, 1, "GET", SCOPES + "/scope-a", null, null).body());
        var members = (com.fasterxml.jackson.databind.node.ArrayNode) a.path("spec").path("members");
        members.addObject().put("user", "erin").put("role", "member").putArray("tokenHashes").add(Tokens.sha256Hex(erinToken));
        ok(send(admin, 0, "PUT", SCOPES + "/scope-a", M.writeValueAsString(a), null));
        for (int s = 0; s < 2; s++) {
            int server = s;
            await(() -> send(anonymous, server, "GET", "/api/v1/namespaces/a1/configmaps", null, erinToken).statusCode() == 200);
        }
        a = M.readTree(send(admin, 1, "GET", SCOPES + "/scope-a", null, null).body());
        members = (com.fasterxml.jackson.databind.node.ArrayNode) a.path("spec").path("members");
        for (int i = members.size() - 1; i >= 0; i--) {
            if (members.get(i).path("user").asText().equals("erin")) {
                members.remove(i);
            }
        }
        ok(send(admin, 1, "PUT", SCOPES + "/scope-a", M.writeValueAsString(a), null));
        for (int s = 0; s < 2; s++) {
            int server = s;
            await(() -> send(anonymous, server, "GET", "/api/v1/namespaces/a1/configmaps", null, erinToken).statusCode() == 401);
        }
        assertEquals(200, send(anonymous, 0, "GET", "/api/v1/namespaces/a1/configmaps", null, CAROL_TOKEN).statusCode(),
                "other members keep access");
    }

    @Test
    void podsOfAScopeSharedWithSitesAreConstrainedToThem() throws Exception {
        HttpClient frank = client(ca.issueClientCertificate("frank", List.of()));
        ok(send(admin, 0, "POST", SCOPES, scope("scope-c", List.of("c1"), "{\"user\":\"frank\",\"role\":\"owner\"}")
                .replace("\"members\"", "\"sites\":[\"site-z\"],\"members\""), null));
        await(() -> !f.servers.get(1).scopes().snapshot().sitesOf("c1").isEmpty());
        ok(send(frank, 1, "POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"c1\"}}", null));
        HttpResponse<String> d = send(frank, 1, "POST", "/apis/apps/v1/namespaces/c1/deployments",
                "{\"metadata\":{\"name\":\"d\"},\"spec\":{\"replicas\":1,\"selector\":{\"matchLabels\":{\"app\":\"d\"}},"
                + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"d\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}}}",
                null);
        ok(d);
        String values = "/spec/template/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution"
                + "/nodeSelectorTerms/0/matchExpressions/0/values";
        assertEquals("[\"site-z\"]", M.readTree(d.body()).at(values).toString(), d.body());
        assertEquals("site-z", M.readTree(d.body()).at("/metadata/annotations/starling.io~1home-site").asText(),
                "homed in a site that may run it, not at the serving super-peer's site-b");
        // a patch cannot remove the constraint, and re-applying it is not a spec change
        ok(send(frank, 1, "PATCH", "/apis/apps/v1/namespaces/c1/deployments/d",
                "{\"spec\":{\"template\":{\"spec\":{\"affinity\":null}}}}", "application/merge-patch+json"));
        JsonNode after = M.readTree(send(frank, 0, "GET", "/apis/apps/v1/namespaces/c1/deployments/d", null, null).body());
        assertEquals("[\"site-z\"]", after.at(values).toString());
        assertEquals(1, after.at("/metadata/generation").asInt(), after.toString());
    }

    @Test
    void adminManagesScopesWithKubectl() throws Exception {
        Assumptions.assumeTrue(onPath("kubectl"), "kubectl is not on PATH");
        ClusterCa.IssuedCertificate cred = ca.issueClientCertificate("admin", List.of("system:masters"));
        Path kubeconfig = writeKubeconfig("admin", cred);
        Path file = dir.resolve("scope.yaml");
        Files.writeString(file, """
                apiVersion: scopes.starling.io/v1alpha1
                kind: Scope
                metadata: {name: scope-k}
                spec:
                  namespaces: [k1]
                  members: [{user: kim, role: owner}]
                """);
        String applied = kubectl(kubeconfig, "--context", "b", "apply", "-f", file.toString());
        assertTrue(applied.contains("scope-k created") || applied.contains("scope.scopes.starling.io/scope-k"), applied);
        String got = kubectl(kubeconfig, "--context", "a", "get", "scopes");
        assertTrue(got.contains("scope-a") && got.contains("scope-k"), got);
        Files.writeString(file, Files.readString(file).replace("role: owner", "role: boss"));
        String bad = kubectl(kubeconfig, "apply", "-f", file.toString());
        assertTrue(bad.contains("spec.members[0].role: Unsupported value"), bad);
        assertTrue(kubectl(kubeconfig, "get", "scope", "scope-k", "-o", "jsonpath={.spec.members[0].role}").equals("owner"), "unchanged");
    }

    @Test
    void kubectlOfAScopeUserSeesOnlyItsNamespaces() throws Exception {
        Assumptions.assumeTrue(onPath("kubectl"), "kubectl is not on PATH");
        ClusterCa.IssuedCertificate cred = ca.issueClientCertificate("alice", List.of("team-a"));
        Path kubeconfig = writeKubeconfig("alice", cred);
        for (String ctx : List.of("a", "b")) {
            String ns = kubectl(kubeconfig, "--context", ctx, "get", "ns", "-o", "name");
            assertEquals("namespace/a1", ns.strip(), ns);
            String pods = kubectl(kubeconfig, "--context", ctx, "get", "pods", "-A", "--no-headers");
            assertTrue(pods.startsWith("a1 ") && !pods.contains("b1"), pods);
            String denied = kubectl(kubeconfig, "--context", ctx, "get", "configmap", "cm", "-n", "b1");
            assertTrue(denied.contains("Forbidden") || denied.contains("forbidden"), denied);
            String del = kubectl(kubeconfig, "--context", ctx, "delete", "pod", "p", "-n", "b1");
            assertTrue(del.contains("forbidden"), del);
        }
    }

    // ------------------------------------------------------------------ helpers

    private String url(int server) {
        return "https://127.0.0.1:" + f.servers.get(server).address().getPort();
    }

    private HttpClient client(ClusterCa.IssuedCertificate cred) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (cred != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("me", cred.privateKey(), new char[0], new Certificate[] {cred.certificate()});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[0]);
        }
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private HttpRequest request(int server, String method, String path, String body, String contentType, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(server) + path)).timeout(Duration.ofSeconds(30));
        b.header("Content-Type", contentType != null ? contentType : "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return b.build();
    }

    private HttpResponse<String> send(HttpClient c, int server, String method, String path, String body, String contentTypeOrToken) {
        boolean isType = contentTypeOrToken != null && contentTypeOrToken.startsWith("application/");
        HttpRequest r = request(server, method, path, body, isType ? contentTypeOrToken : null, isType ? null : contentTypeOrToken);
        try {
            return c.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        }
    }

    private static void ok(HttpResponse<String> r) {
        assertTrue(r.statusCode() / 100 == 2, r.statusCode() + " " + r.body());
    }

    private static void assertForbidden(HttpResponse<String> r) {
        assertEquals(403, r.statusCode(), r.uri() + " " + r.body());
        try {
            JsonNode s = M.readTree(r.body());
            assertEquals("Status", s.path("kind").asText());
            assertEquals("Forbidden", s.path("reason").asText());
            assertEquals(403, s.path("code").asInt());
        } catch (java.io.IOException e) {
            throw new AssertionError(r.body(), e);
        }
    }

    /** Distinct metadata.FIELD values of a list's items, sorted. */
    private static List<String> names(HttpResponse<String> r, String field) throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        List<String> out = new ArrayList<>();
        for (JsonNode i : M.readTree(r.body()).path("items")) {
            String v = i.path("metadata").path(field).asText();
            if (!out.contains(v)) {
                out.add(v);
            }
        }
        out.sort(null);
        assertNotEquals(null, out);
        return out;
    }

    private static void await(BooleanSupplier cond) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not reached in 10 s");
            }
            Thread.sleep(20);
        }
    }

    private static String b64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
    }

    private String kubectl(Path kubeconfig, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig=" + kubeconfig, "--cache-dir=" + dir.resolve("cache")));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("HOME", dir.toString());
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl timed out");
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private Path writeKubeconfig(String user, ClusterCa.IssuedCertificate cred) throws java.io.IOException {
        Path kubeconfig = dir.resolve(user + ".kubeconfig");
        String caData = b64(Pem.certificate(ca.certificate()));
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: a
                  cluster: {server: "%s", certificate-authority-data: %s}
                - name: b
                  cluster: {server: "%s", certificate-authority-data: %s}
                users:
                - name: u
                  user: {client-certificate-data: %s, client-key-data: %s}
                contexts:
                - name: a
                  context: {cluster: a, user: u}
                - name: b
                  context: {cluster: b, user: u}
                current-context: a
                """.formatted(url(0), caData, url(1), caData, b64(Pem.certificate(cred.certificate())),
                b64(Pem.privateKey(cred.privateKey()))));
        return kubeconfig;
    }

    private static boolean onPath(String exe) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, exe))) {
                return true;
            }
        }
        return false;
    }
}
