package io.starling.benchmarks.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A pod watch on one super-peer that notes when each pod whose name starts with a prefix is first
 * seen Running: the client's view of start-up, as {@code kubectl get pods -w} would show it. It
 * also notes when a pod is first seen bound (spec.nodeName set), which splits start-up into the
 * scheduler's part and the node agent's part.
 */
public final class RunningWatch implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Long> firstRunningNanos = new ConcurrentHashMap<>();
    private final Map<String, Long> firstBoundNanos = new ConcurrentHashMap<>();
    private final CompletableFuture<?> stream;

    /** Opens the watch on default/pods of {@code superPeer}; let it establish before creating pods. */
    public RunningWatch(LocalClusterRun cluster, String superPeer, String prefix) {
        String url = cluster.server(superPeer) + "/api/v1/namespaces/default/pods?watch=true";
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json").GET().build();
        stream = cluster.http().sendAsync(req, HttpResponse.BodyHandlers.ofLines()).thenAcceptAsync(r -> {
            try (Stream<String> lines = r.body()) {
                lines.forEach(line -> {
                    long now = System.nanoTime();
                    try {
                        JsonNode obj = JSON.readTree(line).path("object");
                        String name = obj.path("metadata").path("name").asText();
                        if (!name.startsWith(prefix)) {
                            return;
                        }
                        if (!obj.path("spec").path("nodeName").asText("").isEmpty()) {
                            firstBoundNanos.putIfAbsent(name, now);
                        }
                        if (LocalClusterRun.podRunning(obj)) {
                            firstRunningNanos.putIfAbsent(name, now);
                        }
                    } catch (Exception e) {
                        // a partial or non-JSON line: ignore
                    }
                });
            }
        });
    }

    /** System.nanoTime() when pod {@code name} was first seen Running, or null. */
    public Long runningAt(String name) {
        return firstRunningNanos.get(name);
    }

    /** System.nanoTime() when pod {@code name} was first seen with spec.nodeName set, or null. */
    public Long boundAt(String name) {
        return firstBoundNanos.get(name);
    }

    public boolean sawRunning(String name) {
        return firstRunningNanos.containsKey(name);
    }

    @Override
    public void close() {
        stream.cancel(true);
    }
}
