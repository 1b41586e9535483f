package io.starling.gateway.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.starling.core.exec.ThreadEventLoop;
import io.starling.core.identity.PeerIdentity;
import io.starling.core.random.SeededRandom;
import io.starling.dht.kube.Resources;
import io.starling.dht.store.CollectionKey;
import io.starling.dht.store.MemoryClusterStore;
import io.starling.dht.store.Precondition;
import io.starling.dht.store.Versioned;
import io.starling.gateway.GatewayConfig;
import io.starling.gateway.KubeApiServer;
import io.starling.gateway.api.Json;
import io.starling.gateway.scope.ScopeResource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Kubernetes API of two super-peers over one replicated store: site-a is shared with the
 * scope, site-b is not. Writes through every path (create with stringData, strategic merge patch,
 * server-side apply) are stored sealed; site-a serves the data, site-b answers a get with a clear
 * 503 and lists the Secret without data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SealedSecretsApiTest {
    private static final String VALUE = "p4ssw0rd-for-the-db";
    private static final String VALUE2 = "another-secret-value";
    private final ThreadEventLoop loop = new ThreadEventLoop("store");
    private final MemoryClusterStore raw = new MemoryClusterStore(loop, "site-a");
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<KubeApiServer> servers = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void start() throws Exception {
        raw.put(ScopeResource.collection().object("team"), SealingClusterStoreTest.scope("team", "ta", List.of("site-a")),
                Precondition.NONE).get();
        for (String site : List.of("site-a", "site-b")) {
            ScopeKeyKeeper k = new ScopeKeyKeeper(raw, loop, PeerIdentity.generate(0), site, AgreementKey.generate());
            closeables.add(k);
            k.start().get(10, TimeUnit.SECONDS);
            KubeApiServer s = new KubeApiServer(GatewayConfig.plain("127.0.0.1", 0, site), new SealingClusterStore(raw, k),
                    loop, new SeededRandom(7 + servers.size()));
            s.start();
            closeables.add(0, s);
            servers.add(s);
        }
        assertEquals(201, send(0, "POST", "/api/v1/namespaces", "application/json", "{\"metadata\":{\"name\":\"ta\"}}").statusCode());
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        loop.close();
    }

    private HttpResponse<String> send(int server, String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + servers.get(server).address().getPort() + path))
                .timeout(Duration.ofSeconds(20));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private void assertStoredSealed(String name) throws Exception {
        Versioned v = raw.get(Resources.SECRETS.collection(CollectionKey.DEFAULT_SCOPE, "ta").object(name)).get().orElseThrow();
        String text = new String(v.value(), StandardCharsets.UTF_8);
        for (String secret : List.of(VALUE, VALUE2)) {
            assertFalse(text.contains(secret) || text.contains(b64(secret)), text);
        }
        assertTrue(text.contains(SecretSeal.SEALED), text);
    }

    @Test
    void theSharedSiteReadsTheDataAndTheOtherSiteCannot() throws Exception {
        HttpResponse<String> created = send(0, "POST", "/api/v1/namespaces/ta/secrets", "application/json",
                "{\"metadata\":{\"name\":\"db\"},\"stringData\":{\"password\":\"" + VALUE + "\"}}");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(b64(VALUE), Json.parseObject(created.body().getBytes(StandardCharsets.UTF_8)).path("data").path("password").asText());
        assertStoredSealed("db");

        JsonNode got = Json.parseObject(send(0, "GET", "/api/v1/namespaces/ta/secrets/db", null, null).body().getBytes(StandardCharsets.UTF_8));
        assertEquals(b64(VALUE), got.path("data").path("password").asText());
        assertFalse(got.path("metadata").path("annotations").has(SecretSeal.SEALED));

        HttpResponse<String> refused = send(1, "GET", "/api/v1/namespaces/ta/secrets/db", null, null);
        assertEquals(503, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("secret data of scope team is sealed to sites [site-a]"), refused.body());
        assertFalse(refused.body().contains(b64(VALUE)));

        HttpResponse<String> list = send(1, "GET", "/api/v1/namespaces/ta/secrets", null, null);
        assertEquals(200, list.statusCode(), list.body());
        boolean seen = false;
        for (JsonNode item : Json.parseObject(list.body().getBytes(StandardCharsets.UTF_8)).path("items")) {
            seen |= item.path("metadata").path("name").asText().equals("db");
            assertFalse(item.has("data"), list.body());
            assertTrue(item.path("metadata").path("annotations").path(SecretSeal.REDACTED).asText().contains("[site-a]"), list.body());
        }
        assertTrue(seen, list.body());
        assertFalse(list.body().contains("starling-v1:"), "no ciphertext as if it were data");

        HttpResponse<String> write = send(1, "PUT", "/api/v1/namespaces/ta/secrets/db", "application/json",
                "{\"metadata\":{\"name\":\"db\",\"namespace\":\"ta\"},\"data\":{\"password\":\"" + b64("x") + "\"}}");
        assertEquals(503, write.statusCode(), write.body());
        HttpResponse<String> label = send(1, "PATCH", "/api/v1/namespaces/ta/secrets/db", "application/merge-patch+json",
                "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}");
        assertEquals(503, label.statusCode(), label.body());
        assertEquals(b64(VALUE), Json.parseObject(send(0, "GET", "/api/v1/namespaces/ta/secrets/db", null, null).body()
                .getBytes(StandardCharsets.UTF_8)).path("data").path("password").asText(), "nothing erased by site-b");
    }

    @Test
    void theOtherSiteCanStillDeleteASealedSecret() throws Exception {
        assertEquals(201, send(0, "POST", "/api/v1/namespaces/ta/secrets", "application/json",
                "{\"metadata\":{\"name\":\"old\"},\"stringData\":{\"password\":\"" + VALUE + "\"}}").statusCode());
        HttpResponse<String> deleted = send(1, "DELETE", "/api/v1/namespaces/ta/secrets/old", null, null);
        assertEquals(200, deleted.statusCode(), deleted.body());
        assertFalse(deleted.body().contains(b64(VALUE)), deleted.body());
        assertEquals(404, send(0, "GET", "/api/v1/namespaces/ta/secrets/old", null, null).statusCode());
    }

    @Test
    void patchesAndServerSideApplyAreSealedToo() throws Exception {
        assertEquals(201, send(0, "POST", "/api/v1/namespaces/ta/secrets", "application/json",
                "{\"metadata\":{\"name\":\"api\"},\"data\":{\"password\":\"" + b64(VALUE) + "\"}}").statusCode());
        HttpResponse<String> patched = send(0, "PATCH", "/api/v1/namespaces/ta/secrets/api", "application/strategic-merge-patch+json",
                "{\"stringData\":{\"token\":\"" + VALUE2 + "\"},\"metadata\":{\"labels\":{\"tier\":\"db\"}}}");
        assertEquals(200, patched.statusCode(), patched.body());
        assertStoredSealed("api");
        JsonNode got = Json.parseObject(send(0, "GET", "/api/v1/namespaces/ta/secrets/api", null, null).body().getBytes(StandardCharsets.UTF_8));
        assertEquals(b64(VALUE), got.path("data").path("password").asText());
        assertEquals(b64(VALUE2), got.path("data").path("token").asText());

        HttpResponse<String> applied = send(0, "PATCH", "/api/v1/namespaces/ta/secrets/applied?fieldManager=test",
                "application/apply-patch+yaml",
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: applied\n  namespace: ta\nstringData:\n  password: " + VALUE2 + "\n");
        assertTrue(applied.statusCode() == 200 || applied.statusCode() == 201, applied.body());
        assertStoredSealed("applied");
        JsonNode a = Json.parseObject(send(0, "GET", "/api/v1/namespaces/ta/secrets/applied", null, null).body().getBytes(StandardCharsets.UTF_8));
        assertEquals(b64(VALUE2), a.path("data").path("password").asText());
    }
}
