package io.starling.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.starling.core.identity.PeerIdentity;
import io.starling.core.security.ClusterCa;
import io.starling.core.security.Keys;
import io.starling.core.security.PeerCredentials;
import io.starling.core.security.PeerRole;
import io.starling.core.time.SystemClock;
import io.starling.runtime.logs.CriLogFormat;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent API over mutual TLS: only CA-issued super-peer certificates get through. */
class AgentTlsTest {
    private static final ClusterCa CA = ClusterCa.create("test", SystemClock.INSTANCE);

    @TempDir
    Path dir;
    private AgentHttpServer server;

    @BeforeEach
    void start() throws Exception {
        Path log = dir.resolve("app.log");
        Files.writeString(log, new CriLogFormat(Instant.parse("2026-11-27T10:00:00Z"), "stdout", false, "hello over tls").toLine() + "\n");
        AgentView view = new AgentView() {
            @Override
            public Optional<LogTarget> logTarget(String namespace, String pod, String container, boolean previous) {
                return "p".equals(pod) ? Optional.of(new LogTarget(log, () -> false)) : Optional.empty();
            }

            @Override
            public CompletableFuture<byte[]> podsJson() {
                return CompletableFuture.completedFuture("{}".getBytes());
            }
        };
        PeerCredentials agent = credentials(CA, PeerRole.EDGE);
        server = new AgentHttpServer("127.0.0.1", 0, view, SystemClock.INSTANCE, 50, AgentTls.server(agent));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void superPeerCertificateFetchesLogs() throws Exception {
        PeerCredentials gateway = credentials(CA, PeerRole.SUPER);
        HttpResponse<String> r = get(client(Keys.ed25519Private(gateway.identity()), gateway.peerCertificate()));
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("hello over tls"), r.body());
    }

    @Test
    void noClientCertificateFailsTheHandshake() {
        assertThrows(IOException.class, () -> get(client(null, null)));
    }

    @Test
    void edgePeerCertificateIsForbidden() throws Exception {
        PeerCredentials edge = credentials(CA, PeerRole.EDGE);
        HttpResponse<String> r = get(client(Keys.ed25519Private(edge.identity()), edge.peerCertificate()));
        assertEquals(403, r.statusCode());
        assertTrue(r.body().contains("only super-peers"), r.body());
    }

    @Test
    void kubeconfigUserCertificateIsForbidden() throws Exception {
        ClusterCa.IssuedCertificate admin = CA.issueClientCertificate("admin", List.of("system:masters"));
        HttpResponse<String> r = get(client(admin.privateKey(), admin.certificate()));
        assertEquals(403, r.statusCode());
        assertTrue(r.body().contains("not a peer certificate"), r.body());
    }

    @Test
    void superPeerOfAnotherClusterFailsTheHandshake() {
        PeerCredentials stranger = credentials(ClusterCa.create("other", SystemClock.INSTANCE), PeerRole.SUPER);
        assertThrows(IOException.class, () -> get(client(Keys.ed25519Private(stranger.identity()), stranger.peerCertificate())));
    }

    @Test
    void plainHttpGetsNoAnswer() {
        HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/containerLogs/default/p/app"))
                .timeout(Duration.ofSeconds(10)).build();
        assertThrows(IOException.class, () -> plain.send(req, HttpResponse.BodyHandlers.ofString()));
    }

    private HttpResponse<String> get(HttpClient client) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/containerLogs/default/p/app"))
                .timeout(Duration.ofSeconds(10)).build();
        return client.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private static PeerCredentials credentials(ClusterCa ca, PeerRole role) {
        PeerIdentity id = PeerIdentity.generate(2);
        return new PeerCredentials(id, ca.issuePeerCertificate(id.publicKey(), "site-a", role), ca.certificate(), null, null);
    }

    /** An HTTPS client presenting {@code cert} (none when null); it does not check the agent (not under test here). */
    private static HttpClient client(PrivateKey key, X509Certificate cert) throws Exception {
        SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols("TLSv1.3")
                .trustManager(new AnyServer()).endpointIdentificationAlgorithm(null);
        if (key != null) {
            b.keyManager(key, cert);
        }
        SSLContext ssl = ((JdkSslContext) b.build()).context();
        SSLParameters params = new SSLParameters();
        params.setProtocols(new String[] {"TLSv1.3"});
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ssl).sslParameters(params)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static final class AnyServer extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
