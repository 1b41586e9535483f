package io.starling.benchmarks.micro;

import io.starling.benchmarks.Benchmark;
import io.starling.benchmarks.Results;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH micro-benchmarks of the project (record codec, routing table, ...) in a forked JVM
 * and keeps one line per benchmark and parameter set in benchmarks/results/jmh.txt.
 * {@code --include REGEX} selects benchmarks; {@code --quick} shortens warm-up and measurement.
 */
public final class JmhBench implements Benchmark {
    @Override
    public String name() {
        return "jmh";
    }

    @Override
    public String description() {
        return "JMH micro-benchmarks (record codec, routing table); --include REGEX, --quick";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        String include = "io\\.starling\\..*";
        boolean quick = false;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--include" -> {
                    if (i + 1 >= args.size()) {
                        throw new IllegalArgumentException("--include needs a regular expression");
                    }
                    include = args.get(++i);
                }
                case "--quick" -> quick = true;
                default -> throw new IllegalArgumentException("unknown option " + args.get(i) + " (--include REGEX, --quick)");
            }
        }
        ChainedOptionsBuilder opts = new OptionsBuilder().include(include).forks(1).shouldFailOnError(true);
        if (quick) {
            opts.warmupIterations(1).warmupTime(TimeValue.seconds(1)).measurementIterations(2)
                    .measurementTime(TimeValue.seconds(1));
        }
        Collection<RunResult> results = new Runner(opts.build()).run();
        List<String> lines = new ArrayList<>();
        String stamp = Instant.now().toString();
        for (RunResult r : results) {
            var primary = r.getPrimaryResult();
            String params = r.getParams().getParamsKeys().stream()
                    .map(k -> k + "=" + r.getParams().getParam(k)).reduce((a, b) -> a + "," + b).orElse("");
            lines.add(String.format(Locale.ROOT, "%s jmh %s%s score=%.3f error=%.3f unit=%s", stamp,
                    r.getParams().getBenchmark().replace("io.starling.benchmarks.", ""),
                    params.isEmpty() ? "" : "[" + params + "]", primary.getScore(), primary.getScoreError(),
                    primary.getScoreUnit()));
        }
        Path file = Results.dir().resolve("jmh.txt");
        Files.write(file, lines, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        lines.forEach(out::println);
        out.printf(Locale.ROOT, "jmh benchmarks=%d results=%s%n", lines.size(), file);
        return 0;
    }
}
