package io.starling.benchmarks.memory;

import io.starling.benchmarks.Benchmark;
import io.starling.benchmarks.Results;
import io.starling.benchmarks.cluster.LocalClusterRun;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code edge-peer-memory}: a 1-site cluster (1 super-peer, 1 edge, process runtime). The edge
 * peer's PSS, summed over the peer process and all its descendants (pod processes and their
 * supervisors), is sampled every 2 s for --seconds while idle, then again with 5 pods running
 * ({@code sleep} loops). Reported: the mean of each window (MiB), plus the agent process alone.
 * The edge peer's JVM flags are those `starling up` uses (printed from its command line).
 */
public final class EdgePeerMemoryBench implements Benchmark {

    @Override
    public String name() {
        return "edge-peer-memory";
    }

    @Override
    public String description() {
        return "edge peer PSS (peer + its pods) idle and with 5 pods: --seconds S per window (60)";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        int seconds = 60;
        if (args.size() == 2 && args.get(0).equals("--seconds")) {
            try {
                seconds = Integer.parseInt(args.get(1));
            } catch (NumberFormatException e) {
                seconds = -1;
            }
        } else if (!args.isEmpty()) {
            out.println("edge-peer-memory: use --seconds S");
            return 2;
        }
        if (seconds < 2 || seconds > 3600) {
            out.println("edge-peer-memory: --seconds must be 2..3600");
            return 2;
        }
        String summary;
        try (LocalClusterRun cluster = LocalClusterRun.start(1, 1, "process", List.of(), out)) {
            ProcessHandle edge = cluster.peerProcess("a-edge1")
                    .orElseThrow(() -> new IllegalStateException("edge peer process not found"));
            out.println("  edge peer pid " + edge.pid() + " flags: " + jvmFlags(edge));
            Thread.sleep(5000); // past start-up work (joins, first syncs)
            double[] idle = sample(edge, seconds, out, "idle");
            String base = cluster.server("a-super") + "/api/v1/namespaces/default/pods";
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> r = cluster.send("POST", base, pod("mem-" + i));
                if (r.statusCode() / 100 != 2) {
                    throw new IllegalStateException("create pod failed: " + r.statusCode() + " " + r.body());
                }
            }
            cluster.awaitItems("pods Running", "/api/v1/namespaces/default/pods", LocalClusterRun::podRunning, 5, 60);
            Thread.sleep(3000);
            double[] pods = sample(edge, seconds, out, "5 pods");
            out.printf("  idle: tree %.1f MiB (agent %.1f); 5 pods: tree %.1f MiB (agent %.1f)%n", idle[0], idle[1],
                    pods[0], pods[1]);
            summary = String.format("edge-peer-memory idle_pss_mib=%.1f pods5_pss_mib=%.1f", idle[0], pods[0]);
            Results.append(name(), Instant.now().toString(), summary + String.format(
                    " (agent_only idle=%.1f pods5=%.1f seconds=%d flags=%s)", idle[1], pods[1], seconds, jvmFlags(edge)));
        }
        out.println(summary);
        return 0;
    }

    /** Mean PSS in MiB over the window: {tree, agent process alone}. */
    private static double[] sample(ProcessHandle edge, int seconds, PrintStream out, String label) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        double tree = 0;
        double agent = 0;
        double maxTree = 0;
        int n = 0;
        while (System.nanoTime() < end) {
            double t = Pss.ofTreeKiB(edge) / 1024.0;
            tree += t;
            agent += Pss.ofProcessKiB(edge.pid()) / 1024.0;
            maxTree = Math.max(maxTree, t);
            n++;
            Thread.sleep(2000);
        }
        out.printf("  %s: %d samples, mean %.1f MiB, max %.1f MiB%n", label, n, tree / n, maxTree);
        return new double[] {tree / n, agent / n};
    }

    private static String jvmFlags(ProcessHandle edge) {
        return LocalClusterRun.portableFlags(LocalClusterRun.argv(edge).stream().skip(1).takeWhile(x -> !x.equals("-cp")).toList());
    }

    private static String pod(String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{"
                + "\"terminationGracePeriodSeconds\":1,\"containers\":[{\"name\":\"c\",\"image\":\"busybox\","
                + "\"command\":[\"sh\",\"-c\",\"while true; do sleep 1; done\"]}]}}";
    }
}
