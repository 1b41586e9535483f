package io.starling.benchmarks.pods;

import io.starling.benchmarks.Benchmark;
import io.starling.benchmarks.Results;
import io.starling.benchmarks.cluster.LocalClusterRun;
import io.starling.benchmarks.cluster.Percentiles;
import io.starling.benchmarks.cluster.RunningWatch;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code pod-startup}: for each injected inter-site RTT D, a fresh 2-site cluster (1 super-peer +
 * 1 edge per site, process runtime, {@code up --inject-wan-delay-ms D}); N pods ({@code sleep})
 * are created at --rate pods/s, alternately through the super-peer of site a and of site b. Each
 * pod's latency is from just before its create request to the first event with phase Running on a
 * watch opened beforehand on the super-peer it was created through (the client's view).
 *
 * <p>Like the Kubernetes start-up SLO (measured on a running cluster), the figure is steady state:
 * --warm-up W pods (default 10) are started the same way first, reported on their own line, and
 * left running; a freshly started JVM pays class loading and JIT on its first pods.
 */
public final class PodStartupBench implements Benchmark {
    private static final List<String> SUPERS = List.of("a-super", "b-super");

    @Override
    public String name() {
        return "pod-startup";
    }

    @Override
    public String description() {
        return "pod create -> Running (watch) on a local 2-site cluster: --pods N (200) --rtt-ms D[,D..] (0,50,250,400) --rate P/s (10)";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        int pods = 200;
        int rate = 10;
        int warmUp = 10;
        List<Integer> rtts = List.of(0, 50, 250, 400);
        for (int i = 0; i < args.size(); i += 2) {
            String v = i + 1 < args.size() ? args.get(i + 1) : null;
            if (v == null) {
                out.println("pod-startup: " + args.get(i) + " needs a value");
                return 2;
            }
            try {
                switch (args.get(i)) {
                    case "--pods" -> pods = Integer.parseInt(v);
                    case "--rate" -> rate = Integer.parseInt(v);
                    case "--warm-up" -> warmUp = Integer.parseInt(v);
                    case "--rtt-ms" -> rtts = Arrays.stream(v.split(",")).map(Integer::parseInt).toList();
                    default -> {
                        out.println("pod-startup: unknown option " + args.get(i) + " (use --pods N --rtt-ms D,.. --rate P --warm-up W)");
                        return 2;
                    }
                }
            } catch (NumberFormatException e) {
                out.println("pod-startup: " + args.get(i) + " must be a number (list), got '" + v + "'");
                return 2;
            }
        }
        if (pods < 1 || pods > 200 || rate < 1 || rate > 200 || rtts.isEmpty() || warmUp < 0 || pods + warmUp > 220
                || rtts.stream().anyMatch(d -> d < 0 || d > 10_000)) {
            out.println("pod-startup: --pods 1..200 and --warm-up 0.. with pods + warm-up <= 220 (two edges of 110 pods),"
                    + " --rate 1..200, --rtt-ms 0..10000");
            return 2;
        }
        out.println("pod-startup: pods=" + pods + " rate=" + rate + "/s warm-up=" + warmUp + " rtt_ms=" + rtts);
        List<String> lines = new ArrayList<>();
        for (int rtt : rtts) {
            String line = oneDelay(rtt, pods, rate, warmUp, out);
            Results.append(name(), Instant.now().toString(), line + " (pods=" + pods + " rate=" + rate + " warm_up=" + warmUp + ")");
            lines.add(line);
        }
        lines.forEach(out::println);
        return 0;
    }

    private static String oneDelay(int rtt, int pods, int rate, int warmUp, PrintStream out) throws Exception {
        List<String> extra = rtt > 0 ? List.of("--inject-wan-delay-ms", Integer.toString(rtt)) : List.of();
        try (LocalClusterRun cluster = LocalClusterRun.start(2, 1, "process", extra, out)) {
            cluster.awaitItems("nodes Ready", "/api/v1/nodes", LocalClusterRun::nodeReady, 2, 90);
            if (warmUp > 0) {
                Percentiles w = startPods(cluster, "w" + rtt + "-", warmUp, rate, out);
                out.printf("  rtt=%d ms warm-up: %d/%d pods Running, p50 %.0f ms, max %.0f ms (not counted)%n", rtt,
                        w.count(), warmUp, w.at(50), w.max());
            }
            Percentiles p = startPods(cluster, "p" + rtt + "-", pods, rate, out);
            out.printf("  rtt=%d ms: %d/%d pods Running, p50 %.0f ms, p99 %.0f ms, max %.0f ms%n", rtt, p.count(), pods,
                    p.at(50), p.at(99), p.max());
            // a pod that never ran counts as the whole wait: p99 must not hide failures
            double p99 = p.count() < pods ? Double.POSITIVE_INFINITY : p.at(99);
            return String.format("pod-startup rtt_ms=%d p50_ms=%.0f p99_ms=%s", rtt, p.at(50),
                    Double.isInfinite(p99) ? "inf" : String.format("%.0f", p99));
        }
    }

    /** Creates {@code pods} pods named PREFIX-i at {@code rate}/s and returns their create -> Running latencies. */
    private static Percentiles startPods(LocalClusterRun cluster, String prefix, int pods, int rate, PrintStream out)
            throws Exception {
        // name -> creation time; pod i is created through, and watched on, super-peer i % 2
        Map<String, Long> createdAt = new ConcurrentHashMap<>();
        List<RunningWatch> watches = SUPERS.stream().map(sp -> new RunningWatch(cluster, sp, prefix)).toList();
        Thread.sleep(1000); // let both watches establish
        long period = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        List<CompletableFuture<?>> creates = new ArrayList<>();
        for (int i = 0; i < pods; i++) {
            long wait = start + i * period - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            String name = prefix + i;
            String url = cluster.server(SUPERS.get(i % 2)) + "/api/v1/namespaces/default/pods";
            createdAt.put(name, System.nanoTime());
            creates.add(cluster.http().sendAsync(LocalClusterRun.request("POST", url, pod(name)),
                    HttpResponse.BodyHandlers.ofString()).thenAccept(r -> {
                        if (r.statusCode() / 100 != 2) {
                            out.println("  create " + name + " failed: " + r.statusCode() + " " + r.body());
                        }
                    }));
        }
        CompletableFuture.allOf(creates.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && running(prefix, pods, watches) < pods) {
            Thread.sleep(200);
        }
        watches.forEach(RunningWatch::close);
        List<Double> ms = new ArrayList<>();
        // per stage (create -> seen bound -> seen Running), all pods and the last quarter: where the
        // time goes, and whether it grows with the pods already on the nodes
        List<Double> toBound = new ArrayList<>();
        List<Double> toRunning = new ArrayList<>();
        List<Double> lastToBound = new ArrayList<>();
        List<Double> lastToRunning = new ArrayList<>();
        // the slow tail by pod index: tells a cold start (first pods) from load or a stall mid-run
        TreeMap<Double, String> slowest = new TreeMap<>(Comparator.reverseOrder());
        for (int i = 0; i < pods; i++) {
            String name = prefix + i;
            RunningWatch w = watches.get(i % 2);
            Long seen = w.runningAt(name);
            if (seen != null) {
                double d = (seen - createdAt.get(name)) / 1e6;
                ms.add(d);
                slowest.put(d, "#" + i + " via " + SUPERS.get(i % 2));
                Long bound = w.boundAt(name);
                if (bound != null && bound <= seen) {
                    double b = (bound - createdAt.get(name)) / 1e6;
                    toBound.add(b);
                    toRunning.add(d - b);
                    if (i >= pods - pods / 4) {
                        lastToBound.add(b);
                        lastToRunning.add(d - b);
                    }
                }
            }
        }
        out.println("  slowest " + prefix + ": " + String.join(", ", slowest.entrySet().stream().limit(5)
                .map(e -> String.format("%s %.0f ms", e.getValue(), e.getKey())).toList()));
        out.println("  stages " + prefix + ": " + stage("create->bound", toBound) + "; " + stage("bound->Running", toRunning)
                + "; last " + (pods / 4) + " pods: " + stage("create->bound", lastToBound) + "; "
                + stage("bound->Running", lastToRunning));
        return new Percentiles(ms);
    }

    private static String stage(String what, List<Double> ms) {
        if (ms.isEmpty()) {
            return what + " n/a";
        }
        Percentiles p = new Percentiles(ms);
        return String.format("%s p50 %.0f p99 %.0f ms", what, p.at(50), p.at(99));
    }

    private static int running(String prefix, int pods, List<RunningWatch> watches) {
        int n = 0;
        for (int i = 0; i < pods; i++) {
            n += watches.get(i % 2).sawRunning(prefix + i) ? 1 : 0;
        }
        return n;
    }

    private static String pod(String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{"
                + "\"terminationGracePeriodSeconds\":1,\"containers\":[{\"name\":\"c\",\"image\":\"busybox\","
                + "\"command\":[\"sleep\",\"600\"]}]}}";
    }
}
