package io.starling.benchmarks.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.benchmarks.Benchmark;
import io.starling.benchmarks.Results;
import io.starling.benchmarks.cluster.LocalClusterRun;
import io.starling.benchmarks.cluster.Percentiles;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code api-latency}: a 1-site cluster (one super-peer, no edges), then open-loop ConfigMap traffic
 * against its API at each write rate for --seconds: every tick issues one write, alternately a
 * create of a new ConfigMap and an update (GET, change data, PUT with its resourceVersion) of an
 * earlier one; every 10th tick also lists the namespace (limit=100). A warm-up phase at the first
 * rate (--warm-up-seconds, 10) runs first and is not recorded. Requests are sent on schedule
 * whether or not earlier ones finished, so a slow server shows as latency, not as a lower rate.
 * Summary = p50/p99 of mutating calls (create + update PUT) at the first rate. The client speaks
 * HTTP/2 as client-go does ({@code --http 1.1}: a TLS connection per concurrent request).
 */
public final class ApiLatencyBench implements Benchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** op + status (or exception class) -> count, for the current phase. */
    private final Map<String, AtomicInteger> errorKinds = new ConcurrentHashMap<>();
    /** kind -> the first error message of that kind, for the current phase. */
    private final Map<String, String> errorExamples = new ConcurrentHashMap<>();
    private HttpClient client;

    @Override
    public String name() {
        return "api-latency";
    }

    @Override
    public String description() {
        return "ConfigMap create/get/list/update latency on a local super-peer: --rate R[,R..] writes/s (20,200) --seconds S (20)"
                + " --http 2|1.1 (2)";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        List<Integer> rates = List.of(20, 200);
        int seconds = 20;
        int warmUpSeconds = 10;
        HttpClient.Version version = HttpClient.Version.HTTP_2;
        for (int i = 0; i < args.size(); i += 2) {
            String v = i + 1 < args.size() ? args.get(i + 1) : null;
            if (v == null) {
                out.println("api-latency: " + args.get(i) + " needs a value");
                return 2;
            }
            try {
                switch (args.get(i)) {
                    case "--rate" -> rates = java.util.Arrays.stream(v.split(",")).map(Integer::parseInt).toList();
                    case "--seconds" -> seconds = Integer.parseInt(v);
                    case "--warm-up-seconds" -> warmUpSeconds = Integer.parseInt(v);
                    case "--http" -> {
                        if (!v.equals("2") && !v.equals("1.1")) {
                            out.println("api-latency: --http must be 2 or 1.1, got '" + v + "'");
                            return 2;
                        }
                        version = v.equals("2") ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1;
                    }
                    default -> {
                        out.println("api-latency: unknown option " + args.get(i) + " (use --rate R[,R..] --seconds S --warm-up-seconds W --http 2|1.1)");
                        return 2;
                    }
                }
            } catch (NumberFormatException e) {
                out.println("api-latency: " + args.get(i) + " must be a number (list), got '" + v + "'");
                return 2;
            }
        }
        if (rates.isEmpty() || rates.stream().anyMatch(r -> r < 1 || r > 5000) || seconds < 1 || seconds > 3600
                || warmUpSeconds < 0 || warmUpSeconds > 600) {
            out.println("api-latency: rates must be 1..5000, --seconds 1..3600, --warm-up-seconds 0..600");
            return 2;
        }
        out.println("api-latency: rates=" + rates + " writes/s, " + seconds + " s each, HTTP/" + (version == HttpClient.Version.HTTP_2 ? "2" : "1.1"));
        double[] first = null;
        try (LocalClusterRun cluster = LocalClusterRun.start(1, 0, "process", List.of(), out)) {
            String base = cluster.server("a-super") + "/api/v1/namespaces/default/configmaps";
            client = cluster.newClient(version);
            warmUp(base);
            if (warmUpSeconds > 0) {
                // the same traffic, unrecorded: the peer's JIT compiles the write path before we measure
                runPhase(base, rates.get(0), warmUpSeconds, "warm");
                errorKinds.clear();
                errorExamples.clear();
            }
            out.printf("  %-6s %-7s %7s %8s %8s %8s %7s%n", "rate/s", "op", "count", "p50_ms", "p99_ms", "max_ms", "errors");
            for (int rate : rates) {
                Map<String, ConcurrentLinkedQueue<Double>> samples = runPhase(base, rate, seconds, "r" + rate);
                List<Double> mutating = new ArrayList<>();
                for (Map.Entry<String, ConcurrentLinkedQueue<Double>> e : samples.entrySet()) {
                    if (e.getKey().equals("errors")) {
                        continue;
                    }
                    Percentiles p = new Percentiles(e.getValue());
                    out.printf("  %-6d %-7s %7d %8.1f %8.1f %8.1f %7s%n", rate, e.getKey(), p.count(), p.at(50), p.at(99),
                            p.max(), "");
                    if (e.getKey().equals("create") || e.getKey().equals("update")) {
                        mutating.addAll(e.getValue());
                    }
                }
                Percentiles m = new Percentiles(mutating);
                out.printf("  %-6d %-7s %7d %8.1f %8.1f %8.1f %7d%n", rate, "mutating", m.count(), m.at(50), m.at(99),
                        m.max(), samples.get("errors").size());
                if (!errorKinds.isEmpty()) {
                    out.println("  errors at " + rate + "/s: " + new TreeMap<>(errorKinds));
                    new TreeMap<>(errorExamples).forEach((k, msg) -> out.println("    e.g. " + k + ": " + msg));
                    errorKinds.clear();
                    errorExamples.clear();
                }
                if (first == null) {
                    first = new double[] {m.at(50), m.at(99)};
                }
            }
        }
        String summary = String.format("api-latency p50_ms=%.1f p99_ms=%.1f", first[0], first[1]);
        Results.append(name(), Instant.now().toString(), summary + " (rates=" + rates + " seconds=" + seconds
                + (version == HttpClient.Version.HTTP_2 ? "" : " http=1.1") + ")");
        out.println(summary);
        return 0;
    }

    private void warmUp(String base) throws Exception {
        for (int i = 0; i < 30; i++) {
            client.send(LocalClusterRun.request("POST", base, configMap("warmup-" + i, "0")), HttpResponse.BodyHandlers.ofString());
            client.send(LocalClusterRun.request("GET", base + "/warmup-" + i, null), HttpResponse.BodyHandlers.ofString());
        }
    }

    private Map<String, ConcurrentLinkedQueue<Double>> runPhase(String base, int rate, int seconds, String prefix)
            throws Exception {
        Map<String, ConcurrentLinkedQueue<Double>> samples = new TreeMap<>();
        for (String op : List.of("create", "get", "list", "update", "errors")) {
            samples.put(op, new ConcurrentLinkedQueue<>());
        }
        List<CompletableFuture<?>> inflight = new ArrayList<>();
        AtomicInteger created = new AtomicInteger();
        // indices whose create succeeded, in completion order: updates pick among them evenly
        List<Integer> exists = java.util.Collections.synchronizedList(new ArrayList<>());
        // objects with an update (GET + PUT) in flight: one client does not race itself into 409s
        java.util.Set<Integer> busy = ConcurrentHashMap.newKeySet();
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        int ticks = rate * seconds;
        for (int tick = 0; tick < ticks; tick++) {
            long due = start + tick * periodNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            int target = tick % 2 == 0 ? -1 : idleTarget(exists, busy, tick);
            if (target < 0) {
                int n = created.getAndIncrement();
                inflight.add(timed("POST", base, configMap(prefix + "-" + n, "0"), "create", samples)
                        .thenAccept(r -> exists.add(n)));
            } else {
                String url = base + "/" + prefix + "-" + target;
                inflight.add(timed("GET", url, null, "get", samples).whenComplete((r, e) -> {
                    if (e != null) {
                        busy.remove(target);
                    }
                }).thenCompose(r -> {
                    try {
                        ObjectNode cm = (ObjectNode) JSON.readTree(r.body());
                        ((ObjectNode) cm.with("data")).put("v", Integer.toString(due > 0 ? (int) (due % 100000) : 0));
                        return timed("PUT", url, JSON.writeValueAsString(cm), "update", samples)
                                .whenComplete((x, e) -> busy.remove(target));
                    } catch (Exception e) {
                        busy.remove(target);
                        samples.get("errors").add(0.0);
                        return CompletableFuture.completedFuture(null);
                    }
                }));
            }
            if (tick % 10 == 5) {
                inflight.add(timed("GET", base + "?limit=100", null, "list", samples));
            }
        }
        for (CompletableFuture<?> f : inflight) {
            try {
                f.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                // counted in errors
            }
        }
        return samples;
    }

    /**
     * An object to update that has no update in flight, claimed in {@code busy}, probing from a
     * spread-out index; -1 when there is none (the tick creates instead).
     */
    private static int idleTarget(List<Integer> exists, java.util.Set<Integer> busy, int tick) {
        int size = exists.size();
        for (int i = 0; i < size; i++) {
            int candidate = exists.get((int) ((tick * 7919L + i) % size));
            if (busy.add(candidate)) {
                return candidate;
            }
        }
        return -1;
    }

    /** Sends asynchronously; records latency under {@code op} for 2xx, an error otherwise. */
    private CompletableFuture<HttpResponse<String>> timed(String method, String url,
                                                                 String body, String op,
                                                                 Map<String, ConcurrentLinkedQueue<Double>> samples) {
        long t0 = System.nanoTime();
        return client.sendAsync(LocalClusterRun.request(method, url, body), HttpResponse.BodyHandlers.ofString())
                .handle((r, err) -> {
                    double ms = (System.nanoTime() - t0) / 1e6;
                    if (err == null && r.statusCode() / 100 == 2) {
                        samples.get(op).add(ms);
                        return r;
                    }
                    samples.get("errors").add(ms);
                    Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                            ? err.getCause() : err;
                    String kind = op + ":" + (cause != null ? cause.getClass().getSimpleName() : r.statusCode());
                    errorKinds.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
                    errorExamples.putIfAbsent(kind, cause != null ? String.valueOf(cause.getMessage())
                            : r.body().substring(0, Math.min(200, r.body().length())));
                    throw new IllegalStateException(op + " failed: " + (err != null ? err : r.statusCode() + " " + r.body()));
                });
    }

    private static String configMap(String name, String value) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
                + "\"},\"data\":{\"v\":\"" + value + "\"}}";
    }
}
