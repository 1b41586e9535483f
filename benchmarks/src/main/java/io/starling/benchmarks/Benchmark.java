package io.starling.benchmarks;

import java.io.PrintStream;
import java.util.List;

/**
 * One benchmark runnable as {@code ./starling bench NAME [options]}. It prints progress and figures
 * to {@code out}, writes its results under benchmarks/results/ (see {@link Results}) and ends with
 * exactly one summary line in the format its issue gives, e.g.
 * {@code dht-lookup peers=1000 median_hops=2 p99_hops=4 success=1.0}.
 */
public interface Benchmark {
    String name();

    String description();

    /** @return process exit code (0 = ran; a figure missing its goal is still 0, it is reported) */
    int run(List<String> args, PrintStream out) throws Exception;
}
