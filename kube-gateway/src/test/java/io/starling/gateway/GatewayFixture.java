package io.starling.gateway;

import io.starling.core.exec.ThreadEventLoop;
import io.starling.core.random.SeededRandom;
import io.starling.dht.store.ClusterStore;
import io.starling.dht.store.MemoryClusterStore;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A MemoryClusterStore with one or more KubeApiServers on loopback ("super-peers" sharing the store). */
final class GatewayFixture implements AutoCloseable {
    final ThreadEventLoop loop = new ThreadEventLoop("store-loop");
    final ClusterStore store;
    final List<KubeApiServer> servers = new ArrayList<>();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    GatewayFixture() {
        this(1);
    }

    GatewayFixture(int count) {
        this(count, 1000);
    }

    /** @param historyPerCollection how many past events a watch can resume from (small = easy 410 Gone) */
    GatewayFixture(int count, int historyPerCollection) {
        store = new MemoryClusterStore(loop, "site-a", historyPerCollection);
        for (int i = 0; i < count; i++) {
            start(GatewayConfig.plain("127.0.0.1", 0, "site-" + (char) ('a' + i)));
        }
    }

    KubeApiServer start(GatewayConfig config) {
        KubeApiServer s = new KubeApiServer(config, store, loop, new SeededRandom(42 + servers.size()));
        try {
            s.start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        servers.add(s);
        return s;
    }

    String url(int server) {
        InetSocketAddress a = servers.get(server).address();
        return "http://127.0.0.1:" + a.getPort();
    }

    String url() {
        return url(0);
    }

    HttpResponse<String> send(String method, String path, String contentType, String body) {
        return send(0, method, path, contentType, body, null);
    }

    HttpResponse<String> send(int server, String method, String path, String contentType, String body, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(server) + path)).timeout(Duration.ofSeconds(20));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (accept != null) {
            b.header("Accept", accept);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        }
    }

    HttpResponse<String> get(String path) {
        return send("GET", path, null, null);
    }

    @Override
    public void close() {
        for (KubeApiServer s : servers) {
            s.close();
        }
        loop.close();
    }
}
