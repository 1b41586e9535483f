package io.starling.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway serves HTTPS when given an SslContext; kubectl talks to it (when installed). */
class HttpsTest {
    @TempDir
    Path dir;

    @Test
    void servesTls() throws Exception {
        SelfSignedCertificate cert = new SelfSignedCertificate("localhost");
        SslContext ssl = SslContextBuilder.forServer(cert.certificate(), cert.privateKey()).build();
        try (GatewayFixture f = new GatewayFixture(0)) {
            KubeApiServer s = f.start(GatewayConfig.plain("127.0.0.1", 0, "site-a").withSsl(ssl));
            String url = "https://127.0.0.1:" + s.address().getPort();
            SSLContext trustAll = SSLContext.getInstance("TLS");
            trustAll.init(null, new TrustManager[] {new X509ExtendedTrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] c, String a) {}

                @Override
                public void checkClientTrusted(X509Certificate[] c, String a, Socket s) {}

                @Override
                public void checkServerTrusted(X509Certificate[] c, String a, Socket s) {}

                @Override
                public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) {}

                @Override
                public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) {}

                @Override
                public void checkServerTrusted(X509Certificate[] c, String a) {}

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            HttpClient client = HttpClient.newBuilder().sslContext(trustAll).connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url + "/version")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(r.body().contains("\"minor\":\"32\""), r.body());

            if (onPath("kubectl")) {
                Files.writeString(dir.resolve("none"), "apiVersion: v1\nkind: Config\n");
                Process p = new ProcessBuilder("kubectl", "--kubeconfig=" + dir.resolve("none"), "--cache-dir=" + dir.resolve("c"),
                        "--server=" + url, "--insecure-skip-tls-verify", "--token=test", "get", "ns")
                        .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
                assertTrue(p.waitFor(60, TimeUnit.SECONDS));
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(0, p.exitValue(), out);
                assertTrue(out.contains("kube-system"), out);
            }
        } finally {
            cert.delete();
        }
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
