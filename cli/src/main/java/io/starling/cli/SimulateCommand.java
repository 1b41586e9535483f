package io.starling.cli;

import io.starling.simulator.OutputWriter;
import io.starling.simulator.SimulationResult;
import io.starling.simulator.Simulator;
import io.starling.simulator.progress.ProgressBar;
import io.starling.simulator.scenario.Plan;
import io.starling.simulator.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code starling simulate SCENARIO.yaml}: runs a scenario on the deterministic simulator. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Run a scenario (simulator/scenarios/*.yaml) on virtual time with the production peers; "
                + "writes summary.json, CSV tables, plots and report.md.")
final class SimulateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SCENARIO.yaml", description = "scenario file")
    Path scenario;

    @Option(names = "--seed", description = "seed of the run (default: ${DEFAULT-VALUE})", defaultValue = "1")
    long seed;

    @Option(names = "--out", description = "output directory (default: sim-out/<scenario name>-<seed>)")
    Path out;

    @Option(names = "--duration", description = "override the scenario's duration, e.g. 5m")
    String duration;

    @Option(names = "--scale", description = "multiply peers per site by this factor (default: ${DEFAULT-VALUE})", defaultValue = "1")
    double scale;

    @Option(names = "--verbose", description = "show the peers' log messages")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        Plan plan = ScenarioLoader.load(scenario);
        if (duration != null) {
            plan = plan.withDuration(ScenarioLoader.parseDurationMillis("--duration", duration));
        }
        if (scale != 1) {
            plan = plan.scaled(scale);
        }
        if (!verbose) {
            Logger.getLogger("io.starling").setLevel(Level.SEVERE);
        }
        Path dir = out != null ? out : Path.of("sim-out", plan.name() + "-" + seed);
        System.err.printf("simulate %s: seed=%d sites=%d peers=%d duration=%ds%n", plan.name(), seed, plan.sites().size(),
                plan.totalPeers(), plan.durationMillis() / 1000);
        ProgressBar bar = new ProgressBar(System.err);
        SimulationResult r = new Simulator(plan, seed).run(bar);
        bar.done();
        OutputWriter.write(r, dir);
        System.out.printf("simulate %s seed=%d: pods running %s/%s, lookups success %s, lost acknowledged writes %s, wall %.1f s -> %s%n",
                plan.name(), seed, r.get("pods", "running"), r.get("pods", "live"), r.get("dht_lookups", "success"),
                r.get("writes", "lost_acknowledged"), bar.wallSeconds(), dir.resolve("report.md"));
        return 0;
    }
}
