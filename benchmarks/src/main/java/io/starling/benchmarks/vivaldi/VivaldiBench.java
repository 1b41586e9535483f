package io.starling.benchmarks.vivaldi;

import io.starling.benchmarks.Benchmark;
import io.starling.benchmarks.Results;
import io.starling.core.time.SystemClock;
import io.starling.scheduler.vivaldi.RttMatrix;
import io.starling.scheduler.vivaldi.VivaldiConfig;
import io.starling.scheduler.vivaldi.VivaldiReplay;
import io.starling.scheduler.vivaldi.VivaldiService;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code ./starling bench vivaldi [--matrix FILE] [--seed N] [--rounds N] [--dims N] [--cc X]
 * [--neighbours N] [--random-prob P] [--decay-ms MS]}: Vivaldi accuracy on a measured RTT matrix (goal: median
 * relative error <= 0.08 on PlanetLab-490). Ends with
 * {@code vivaldi nodes=N median_rel_err=X p90_rel_err=Y}.
 */
public final class VivaldiBench implements Benchmark {
    static final String DEFAULT_MATRIX = "shared/data/latency/planetlab-490/rtt-ms-median.tsv";

    private final boolean recordResult;

    public VivaldiBench() {
        this(true);
    }

    /** @param recordResult false in tests: do not append to benchmarks/results */
    VivaldiBench(boolean recordResult) {
        this.recordResult = recordResult;
    }

    @Override
    public String name() {
        return "vivaldi";
    }

    @Override
    public String description() {
        return "Vivaldi coordinate accuracy replayed on an RTT matrix (default PlanetLab-490)";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        Path matrixPath = null;
        VivaldiReplay.Options options = VivaldiReplay.Options.defaults(1);
        VivaldiConfig vivaldi = options.vivaldi();
        int neighbours = options.neighbours();
        long decayMillis = 0;
        try {
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                switch (a) {
                    case "--matrix" -> matrixPath = Paths.get(value(args, ++i, a));
                    case "--seed" -> options = options.withSeed(Long.parseLong(value(args, ++i, a)));
                    case "--rounds" -> options = options.withRounds(positive(value(args, ++i, a), a));
                    case "--dims" -> vivaldi = VivaldiConfig.withDimensions(positive(value(args, ++i, a), a)).withCc(vivaldi.cc());
                    case "--cc" -> vivaldi = vivaldi.withCc(Double.parseDouble(value(args, ++i, a)));
                    case "--neighbours" -> neighbours = positive(value(args, ++i, a), a);
                    case "--decay-ms" -> decayMillis = Long.parseLong(value(args, ++i, a));
                    case "--random-prob" -> options = options.withRandomSampleProbability(Double.parseDouble(value(args, ++i, a)));
                    case "-h", "--help" -> {
                        out.println("usage: bench vivaldi [--matrix FILE] [--seed N] [--rounds N] [--dims N] [--cc X]"
                                + " [--neighbours N] [--random-prob P] [--decay-ms MS]");
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            options = options.withVivaldi(vivaldi).withNeighbours(neighbours, 0);
        } catch (IllegalArgumentException e) {
            out.println("vivaldi: " + e.getMessage());
            return 2;
        }
        if (matrixPath == null) {
            Optional<Path> found = findDefaultMatrix(Paths.get("").toAbsolutePath());
            if (found.isEmpty()) {
                out.println("vivaldi: cannot find " + DEFAULT_MATRIX + " above the working directory; pass --matrix FILE");
                return 2;
            }
            matrixPath = found.get();
        }
        if (!Files.isRegularFile(matrixPath)) {
            out.println("vivaldi: no such matrix file: " + matrixPath);
            return 2;
        }
        RttMatrix matrix;
        try {
            matrix = RttMatrix.read(matrixPath);
        } catch (java.io.IOException | IllegalArgumentException e) {
            out.println("vivaldi: cannot read matrix " + matrixPath + ": " + e.getMessage());
            return 2;
        }
        out.printf(Locale.ROOT, "vivaldi matrix=%s nodes=%d seed=%d rounds=%d dims=%d+height cc=%.3f ce=%.3f neighbours=%d random_prob=%.2f decay_ms=%d%n",
                matrixPath, matrix.size(), options.seed(), options.rounds(), options.vivaldi().dimensions(),
                options.vivaldi().cc(), options.vivaldi().ce(), options.neighbours(), options.randomSampleProbability(), decayMillis);
        long start = SystemClock.INSTANCE.monoMillis();
        VivaldiReplay replay;
        try {
            replay = new VivaldiReplay(matrix, options, VivaldiService.Config.of(options.vivaldi()).withNeighbourDecay(decayMillis));
        } catch (IllegalArgumentException e) {
            out.println("vivaldi: " + e.getMessage());
            return 2;
        }
        VivaldiReplay.Result r = replay.runAll(10, line -> out.println("  " + line));
        out.printf(Locale.ROOT, "  pairs=%d elapsed_ms=%d%n", r.pairs(), SystemClock.INSTANCE.monoMillis() - start);
        String summary = String.format(Locale.ROOT, "vivaldi nodes=%d median_rel_err=%.3f p90_rel_err=%.3f",
                r.nodes(), r.medianRelativeError(), r.p90RelativeError());
        if (recordResult) {
            Results.append(name(), Instant.ofEpochMilli(SystemClock.INSTANCE.wallMillis()).toString(), summary);
        }
        out.println(summary);
        return 0;
    }

    /** Walks up from {@code dir} looking for shared/... or ../shared/... next to a repo root. */
    static Optional<Path> findDefaultMatrix(Path dir) {
        for (Path d = dir; d != null; d = d.getParent()) {
            for (Path candidate : List.of(d.resolve(DEFAULT_MATRIX), d.resolve("..").resolve(DEFAULT_MATRIX))) {
                if (Files.isRegularFile(candidate)) {
                    return Optional.of(candidate.normalize());
                }
            }
        }
        return Optional.empty();
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    private static int positive(String v, String option) {
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs an integer: " + v);
        }
        if (n < 1) {
            throw new IllegalArgumentException(option + " must be >= 1: " + v);
        }
        return n;
    }
}
