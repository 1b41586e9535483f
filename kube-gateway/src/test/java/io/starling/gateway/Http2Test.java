package io.starling.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.starling.gateway.http.HttpProtocols;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HTTP/2 over TLS (ALPN h2, as client-go negotiates it) next to HTTP/1.1 on the same port: many
 * concurrent requests share one connection, watches stream, limits and client certificates work
 * as on HTTP/1.1.
 */
@Timeout(120)
class Http2Test {
    private static final String CM = "/api/v1/namespaces/default/configmaps";
    private SelfSignedCertificate serverCert;
    private SelfSignedCertificate clientCert;
    private GatewayFixture f;
    private String url;
    private HttpClient h2;

    @BeforeEach
    void start() throws Exception {
        serverCert = new SelfSignedCertificate("localhost");
        clientCert = new SelfSignedCertificate("alice");
        SslContext ssl = SslContextBuilder.forServer(serverCert.certificate(), serverCert.privateKey())
                .clientAuth(ClientAuth.OPTIONAL).trustManager(clientCert.cert())
                .applicationProtocolConfig(HttpProtocols.alpn()).build();
        f = new GatewayFixture(0);
        // who is calling = the CN of the client certificate, so the test sees it reached the API
        Authenticator byCertificate = r -> r.clientCertificates().isEmpty() ? Optional.empty()
                : Optional.of(new Authenticator.User(r.clientCertificates().get(0).getSubjectX500Principal().getName(),
                        List.of("system:masters")));
        KubeApiServer s = f.start(GatewayConfig.plain("127.0.0.1", 0, "site-a").withSsl(ssl).withMaxBodyBytes(64 * 1024)
                .withAuthenticator(byCertificate));
        url = "https://127.0.0.1:" + s.address().getPort();
        h2 = client(HttpClient.Version.HTTP_2, true);
    }

    @AfterEach
    void stop() {
        f.close();
        serverCert.delete();
        clientCert.delete();
    }

    private HttpClient client(HttpClient.Version version, boolean withCertificate) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("alice", clientCert.key(), new char[0], new java.security.cert.Certificate[] {clientCert.cert()});
        kmf.init(ks, new char[0]);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(withCertificate ? kmf.getKeyManagers() : null, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
        return HttpClient.newBuilder().version(version).sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static HttpRequest request(String method, String uri, String body) {
        return HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static String configMap(String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"k\":\"v\"}}";
    }

    @Test
    void negotiatesH2AndServesConcurrentWritesOnOneConnection() throws Exception {
        HttpResponse<String> v = h2.send(request("GET", url + "/version", null), HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, v.version(), "ALPN picked h2");
        assertEquals(200, v.statusCode());
        assertTrue(v.body().contains("\"minor\""), v.body());

        List<CompletableFuture<HttpResponse<String>>> creates = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            creates.add(h2.sendAsync(request("POST", url + CM, configMap("cm-" + i)), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> c : creates) {
            HttpResponse<String> r = c.get(60, TimeUnit.SECONDS);
            assertEquals(201, r.statusCode(), r.body());
            assertEquals(HttpClient.Version.HTTP_2, r.version());
        }
        HttpResponse<String> list = h2.send(request("GET", url + CM, null), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, list.statusCode());
        for (int i = 0; i < 100; i++) {
            assertTrue(list.body().contains("\"cm-" + i + "\""), "cm-" + i + " listed");
        }
    }

    @Test
    void watchStreamsEventsOverAStream() throws Exception {
        HttpResponse<InputStream> w = h2.send(request("GET", url + CM + "?watch=true", null),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, w.statusCode());
        assertEquals(HttpClient.Version.HTTP_2, w.version());
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(w.body(), StandardCharsets.UTF_8))) {
            assertEquals(201, h2.send(request("POST", url + CM, configMap("watched")), HttpResponse.BodyHandlers.ofString())
                    .statusCode(), "a write on another stream of the same connection while the watch is open");
            String line;
            do {
                line = lines.readLine();
            } while (line != null && !line.contains("\"watched\""));
            assertTrue(line != null && line.contains("\"ADDED\""), "the watch saw the create: " + line);
        }
    }

    @Test
    void bodyLimitAndClientCertificateApplyPerStream() throws Exception {
        String big = "{\"metadata\":{\"name\":\"big\"},\"data\":{\"k\":\"" + "x".repeat(100 * 1024) + "\"}}";
        HttpResponse<String> tooLarge = h2.send(request("POST", url + CM, big), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, tooLarge.statusCode());
        assertEquals(201, h2.send(request("POST", url + CM, configMap("after-413")), HttpResponse.BodyHandlers.ofString())
                .statusCode(), "the connection still serves other streams");

        HttpResponse<String> anonymous = client(HttpClient.Version.HTTP_2, false)
                .send(request("GET", url + CM, null), HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, anonymous.version());
        assertEquals(401, anonymous.statusCode(), "no certificate on the connection: its streams are anonymous");
    }

    @Test
    void http11ClientsStillWork() throws Exception {
        HttpClient h1 = client(HttpClient.Version.HTTP_1_1, true);
        HttpResponse<String> r = h1.send(request("POST", url + CM, configMap("via-h1")), HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_1_1, r.version());
        assertEquals(201, r.statusCode(), r.body());
        HttpResponse<String> g = h2.send(request("GET", url + CM + "/via-h1", null), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, g.statusCode());
    }
}
