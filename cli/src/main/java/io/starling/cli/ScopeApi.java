package io.starling.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.core.security.ClusterCa;
import io.starling.gateway.scope.ScopeResource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The admin side of scopes: reads and writes Scope objects (and namespaces) through one
 * super-peer's HTTPS API as a cluster administrator (a fresh client certificate in group
 * {@value ScopeResource#ADMIN_GROUP}, issued by the cluster CA of the operator credentials).
 * Updates are read-modify-write with the resourceVersion, retried on 409.
 */
final class ScopeApi {
    static final String PATH = "/apis/" + ScopeResource.TYPE.group() + "/" + ScopeResource.TYPE.version() + "/scopes";
    private static final int UPDATE_ATTEMPTS = 5;
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final ObjectMapper M = new ObjectMapper();

    private final HttpClient http;
    private final String base;

    ScopeApi(ClusterCa ca, String server) {
        this.base = "https://" + server;
        this.http = HttpClient.newBuilder().sslContext(adminTls(ca)).connectTimeout(TIMEOUT).build();
    }

    private static SSLContext adminTls(ClusterCa ca) {
        try {
            ClusterCa.IssuedCertificate cred = ca.issueClientCertificate("starling-cli", List.of(ScopeResource.ADMIN_GROUP));
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("admin", cred.privateKey(), new char[0], new Certificate[] {cred.certificate()});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[0]);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca.certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ssl;
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the admin TLS context: " + e.getMessage(), e);
        }
    }

    List<JsonNode> list() {
        JsonNode l = call("GET", PATH, null, 200).orElseThrow();
        List<JsonNode> out = new java.util.ArrayList<>();
        l.path("items").forEach(out::add);
        out.sort(java.util.Comparator.comparing(s -> s.path("metadata").path("name").asText()));
        return out;
    }

    Optional<JsonNode> get(String name) {
        return call("GET", PATH + "/" + name, null, 200, 404);
    }

    void create(ObjectNode scope) {
        call("POST", PATH, scope, 201);
    }

    /** Creates a namespace; an existing one is fine. */
    void ensureNamespace(String name) {
        ObjectNode ns = M.createObjectNode().put("apiVersion", "v1").put("kind", "Namespace");
        ns.putObject("metadata").put("name", name);
        call("POST", "/api/v1/namespaces", ns, 201, 409);
    }

    /** Applies {@code change} to the current scope and writes it with its resourceVersion; retries on conflict. */
    JsonNode update(String name, UnaryOperator<ObjectNode> change) {
        for (int attempt = 1; ; attempt++) {
            ObjectNode current = (ObjectNode) get(name).orElseThrow(() -> new IllegalArgumentException("no scope named '" + name + "'"));
            ObjectNode next = change.apply(current.deepCopy());
            try {
                return call("PUT", PATH + "/" + name, next, 200).orElseThrow();
            } catch (Conflict c) {
                if (attempt >= UPDATE_ATTEMPTS) {
                    throw new IllegalArgumentException("scope '" + name + "' keeps changing concurrently; try again");
                }
            }
        }
    }

    private static final class Conflict extends RuntimeException {
        Conflict() {
            super(null, null, false, false);
        }
    }

    /** Sends a request; statuses in {@code ok} return the body (404 returns empty), 409 on PUT is a Conflict, others fail. */
    private Optional<JsonNode> call(String method, String path, JsonNode body, int... ok) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                .header("Content-Type", "application/json").header("Accept", "application/json");
        try {
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(M.writeValueAsBytes(body)));
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            for (int code : ok) {
                if (r.statusCode() == code) {
                    return code == 404 ? Optional.empty() : Optional.of(M.readTree(r.body().isEmpty() ? "{}" : r.body()));
                }
            }
            if (r.statusCode() == 409 && method.equals("PUT")) {
                throw new Conflict();
            }
            String message = r.body();
            try {
                message = M.readTree(r.body()).path("message").asText(r.body());
            } catch (java.io.IOException e) {
                // not a Status: show the raw body
            }
            throw new IllegalArgumentException(method + " " + path + " failed (" + r.statusCode() + "): " + message);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot reach the API at " + base + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
