package io.starling.benchmarks.sim;

import io.starling.benchmarks.Benchmark;
import io.starling.benchmarks.Results;
import io.starling.simulator.OutputWriter;
import io.starling.simulator.SimulationResult;
import io.starling.simulator.Simulator;
import io.starling.simulator.scenario.Plan;
import io.starling.simulator.scenario.ScenarioLoader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code simulate-planet}: the planet scenario (PlanetLab-490 RTT matrix, one super-peer per site,
 * edge peers spread evenly, one Deployment per site) with N peers for a given virtual time; reports
 * the wall time and the peak heap seen between slices. Sites = min(490, N / 20.4) so the default
 * 10,000 peers give the 490 sites of simulator/scenarios/planet.yaml.
 */
public final class SimulatePlanetBench implements Benchmark {
    static final String MATRIX = "../shared/data/latency/planetlab-490/rtt-ms-median.tsv";

    @Override
    public String name() {
        return "simulate-planet";
    }

    @Override
    public String description() {
        return "planet scenario on the simulator: --peers N (10000) --duration D (1h) --seed S (1) --out DIR";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        int peers = 10_000;
        String duration = "1h";
        long seed = 1;
        Path outDir = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String v = i + 1 < args.size() ? args.get(i + 1) : null;
            if (v == null) {
                out.println("simulate-planet: " + a + " needs a value");
                return 2;
            }
            switch (a) {
                case "--peers" -> peers = Integer.parseInt(v);
                case "--duration" -> duration = v;
                case "--seed" -> seed = Long.parseLong(v);
                case "--out" -> outDir = Path.of(v);
                default -> {
                    out.println("simulate-planet: unknown option " + a + " (use --peers N --duration D --seed S --out DIR)");
                    return 2;
                }
            }
            i++;
        }
        if (peers < 4 || peers > 1_000_000) {
            out.println("simulate-planet: --peers must be between 4 and 1000000");
            return 2;
        }
        int sites = (int) Math.max(2, Math.min(490, Math.round(peers / 20.4)));
        String yaml = String.format(Locale.ROOT, """
                name: planet
                duration: %s
                settle: 10s
                sites:
                  - {name: pl, count: %d, superPeers: 1, edgePeersTotal: %d, capacity: {cpuMillis: 4000, memoryMiB: 4096, pods: 20}, lanRttMs: 0.5}
                links: {rttMatrix: %s, wanRttMs: 134, jitterMs: 1}
                workload:
                  - {at: 1m, kind: Deployment, name: app, replicas: 3, usersSite: "*", count: %d, interval: 5s, cpuMillis: 200, memoryMiB: 128}
                probes: {lookupsPerMinute: 60, writesPerMinute: 30, vivaldiPairs: 5000}
                """, duration, sites, peers - sites, MATRIX, sites);
        Plan plan = ScenarioLoader.parse(yaml, "simulate-planet", null);
        Logger.getLogger("io.starling").setLevel(Level.SEVERE);
        Runtime rt = Runtime.getRuntime();
        out.printf("simulate-planet: peers=%d sites=%d virtual=%ds seed=%d -Xmx=%d MiB%n", plan.totalPeers(), sites,
                plan.durationMillis() / 1000, seed, rt.maxMemory() >> 20);
        long[] peak = new long[1];
        long t0 = System.nanoTime();
        long[] lastPrint = {t0};
        SimulationResult r = new Simulator(plan, seed).run((done, total, events) -> {
            long used = rt.totalMemory() - rt.freeMemory();
            peak[0] = Math.max(peak[0], used);
            long now = System.nanoTime();
            if (now - lastPrint[0] > 30_000_000_000L) {
                lastPrint[0] = now;
                out.printf(Locale.ROOT, "  virtual %d/%d s, wall %.0f s, cpu %.0f s, %d events, heap %d MiB%n", done / 1000,
                        total / 1000, (now - t0) / 1e9, processCpuSeconds(), events, used >> 20);
            }
        });
        double wall = (System.nanoTime() - t0) / 1e9;
        if (outDir != null) {
            OutputWriter.write(r, outDir);
        }
        out.printf("  pods running %s/%s, lookups %s (success %s, p50 hops %s), lost acknowledged writes %s, events %s%n",
                r.get("pods", "running"), r.get("pods", "live"), r.get("dht_lookups", "count"), r.get("dht_lookups", "success"),
                r.get("dht_lookups", "hops", "p50"), r.get("writes", "lost_acknowledged"), r.get("run", "events"));
        String line = String.format(Locale.ROOT, "simulate planet peers=%d virtual_s=%d wall_s=%.0f heap_mib=%d", plan.totalPeers(),
                plan.durationMillis() / 1000, wall, peak[0] >> 20);
        // the machine may be shared: the process CPU time and the load average say how much wall was ours
        String context = String.format(Locale.ROOT, " xmx_mib=%d cpu_s=%.0f load1=%.1f", rt.maxMemory() >> 20,
                processCpuSeconds(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Results.append(name(), Instant.ofEpochMilli(System.currentTimeMillis()).toString(), line + context);
        out.println(line);
        return 0;
    }

    private static double processCpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return -1;
    }
}
