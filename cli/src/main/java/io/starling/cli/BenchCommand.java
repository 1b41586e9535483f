package io.starling.cli;

import io.starling.benchmarks.Benchmark;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code starling bench NAME [options]}: runs one benchmark; options go to the benchmark. */
@Command(name = "bench", description = "Run a benchmark (ends with one summary line; results in benchmarks/results/).")
final class BenchCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", description = "benchmark name; omit to list them")
    String name;

    @Parameters(index = "1..*", arity = "0..*", description = "options of the benchmark")
    List<String> args = List.of();

    @Override
    public Integer call() throws Exception {
        List<Benchmark> all = Benchmarks.all();
        if (name == null) {
            for (Benchmark b : all) {
                System.out.printf("  %-22s %s%n", b.name(), b.description());
            }
            return 0;
        }
        for (Benchmark b : all) {
            if (b.name().equals(name)) {
                return b.run(args, System.out);
            }
        }
        System.err.println("starling: unknown benchmark '" + name + "' (run 'starling bench' to list them)");
        return 2;
    }
}
