package io.starling.benchmarks.node;

import io.starling.benchmarks.Benchmark;
import io.starling.benchmarks.Results;
import io.starling.benchmarks.cluster.LocalClusterRun;
import io.starling.benchmarks.cluster.Percentiles;
import io.starling.benchmarks.cluster.RunningWatch;
import io.starling.runtime.containerd.PrivateContainerd;
import io.starling.runtime.containerd.TestImage;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code node-pod-start}: how fast one node agent starts pods on each backend. A 1-site cluster
 * (one super-peer, one edge peer with the backend under test); N pods are created already bound
 * to the edge node (spec.nodeName, so the scheduler is not measured), at --rate pods/s. Each
 * pod's time is from just before its create request to the first watch event, on the super-peer,
 * showing it Running: the agent's watch, sandbox and container start, and its status write.
 */
public final class NodePodStartBench implements Benchmark {
    private static final String NODE = "a-edge1";

    @Override
    public String name() {
        return "node-pod-start";
    }

    @Override
    public String description() {
        return "pods bound to one node -> Running (watch), per backend: --pods N (50) --rate P/s (5) --runtimes process,containerd";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        int pods = 50;
        int rate = 5;
        List<String> runtimes = List.of("process", "containerd");
        for (int i = 0; i < args.size(); i += 2) {
            String v = i + 1 < args.size() ? args.get(i + 1) : null;
            if (v == null) {
                out.println("node-pod-start: " + args.get(i) + " needs a value");
                return 2;
            }
            try {
                switch (args.get(i)) {
                    case "--pods" -> pods = Integer.parseInt(v);
                    case "--rate" -> rate = Integer.parseInt(v);
                    case "--runtimes" -> runtimes = Arrays.asList(v.split(","));
                    default -> {
                        out.println("node-pod-start: unknown option " + args.get(i) + " (use --pods N --rate P --runtimes R,..)");
                        return 2;
                    }
                }
            } catch (NumberFormatException e) {
                out.println("node-pod-start: " + args.get(i) + " must be a number, got '" + v + "'");
                return 2;
            }
        }
        if (pods < 1 || pods > 100 || rate < 1 || rate > 100
                || runtimes.stream().anyMatch(r -> !r.equals("process") && !r.equals("containerd"))) {
            out.println("node-pod-start: --pods 1..100 (one node), --rate 1..100, --runtimes from process,containerd");
            return 2;
        }
        Map<String, String> lines = new LinkedHashMap<>();
        for (String runtime : runtimes) {
            if (runtime.equals("containerd")
                    && !(PrivateContainerd.available() && Files.isRegularFile(TestImage.DEFAULT_BUSYBOX))) {
                out.println("  containerd skipped: containerd/ctr or busybox-static not installed");
                continue;
            }
            String line = oneRuntime(runtime, pods, rate, out);
            Results.append(name(), Instant.now().toString(), line + " (rate=" + rate + "/s)");
            lines.put(runtime, line);
        }
        lines.values().forEach(out::println);
        return lines.isEmpty() ? 1 : 0;
    }

    private static String oneRuntime(String runtime, int pods, int rate, PrintStream out) throws Exception {
        try (LocalClusterRun cluster = LocalClusterRun.start(1, 1, runtime, List.of(), out)) {
            cluster.awaitItems("nodes Ready", "/api/v1/nodes", LocalClusterRun::nodeReady, 1, 90);
            String prefix = runtime.charAt(0) + "-";
            List<Long> createdAt = new ArrayList<>();
            try (RunningWatch watch = new RunningWatch(cluster, "a-super", prefix)) {
                Thread.sleep(1000); // let the watch establish
                String url = cluster.server("a-super") + "/api/v1/namespaces/default/pods";
                long period = TimeUnit.SECONDS.toNanos(1) / rate;
                long start = System.nanoTime();
                for (int i = 0; i < pods; i++) {
                    long wait = start + i * period - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    createdAt.add(System.nanoTime());
                    HttpResponse<String> r = cluster.send("POST", url, pod(prefix + i));
                    if (r.statusCode() / 100 != 2) {
                        throw new IllegalStateException("create " + prefix + i + " failed: " + r.statusCode() + " " + r.body());
                    }
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (System.nanoTime() < deadline && !allRunning(watch, prefix, pods)) {
                    Thread.sleep(200);
                }
                List<Double> ms = new ArrayList<>();
                for (int i = 0; i < pods; i++) {
                    Long seen = watch.runningAt(prefix + i);
                    if (seen != null) {
                        ms.add((seen - createdAt.get(i)) / 1e6);
                    }
                }
                Percentiles p = new Percentiles(ms);
                out.printf(Locale.ROOT, "  %s: %d/%d pods Running, p50 %.0f ms, p99 %.0f ms, max %.0f ms%n", runtime,
                        p.count(), pods, p.at(50), p.at(99), p.max());
                // a pod that never ran must not vanish from the tail
                String p99 = p.count() < pods ? "inf" : String.format(Locale.ROOT, "%.0f", p.at(99));
                return String.format(Locale.ROOT, "node-pod-start runtime=%s pods=%d p50_ms=%.0f p99_ms=%s", runtime, pods,
                        p.at(50), p99);
            }
        }
    }

    private static boolean allRunning(RunningWatch watch, String prefix, int pods) {
        for (int i = 0; i < pods; i++) {
            if (!watch.sawRunning(prefix + i)) {
                return false;
            }
        }
        return true;
    }

    private static String pod(String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{"
                + "\"nodeName\":\"" + NODE + "\",\"terminationGracePeriodSeconds\":1,\"containers\":[{\"name\":\"c\","
                + "\"image\":\"" + TestImage.BUSYBOX + "\",\"imagePullPolicy\":\"IfNotPresent\","
                + "\"command\":[\"sleep\",\"600\"]}]}}";
    }
}
