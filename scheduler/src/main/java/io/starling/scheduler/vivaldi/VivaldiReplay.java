package io.starling.scheduler.vivaldi;

import io.starling.core.random.RandomSource;
import io.starling.core.random.SeededRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Accuracy harness: replays a measured RTT matrix through the production {@link VivaldiService}
 * (filter + {@link VivaldiNode} update) on virtual time, then measures the relative error
 * {@code |predicted - actual| / actual} over all known pairs.
 *
 * <p>Each round every node takes {@code samplesPerRound} samples: from its fixed neighbour set
 * (as in the Vivaldi and Pyxida deployments), or with probability {@code randomSampleProbability}
 * from any node, which is what DHT traffic to random peers gives in production. The neighbour set
 * mixes the {@code closeNeighbours} nearest hosts (short RTTs dominate relative error) with random
 * ones. Everything is drawn from one seeded source: one seed, one result.
 */
public final class VivaldiReplay {

    /**
     * @param vivaldi update rule tuning (the dimension count is part of it)
     * @param neighbours fixed neighbours per node
     * @param closeNeighbours how many of them are the nearest hosts by RTT
     * @param samplesPerRound samples each node takes per round
     * @param randomSampleProbability probability a sample goes to a uniformly random host instead
     * @param rounds rounds to run
     * @param seed run seed
     */
    public record Options(VivaldiConfig vivaldi, int neighbours, int closeNeighbours, int samplesPerRound,
                          double randomSampleProbability, int rounds, long seed) {
        public Options {
            if (neighbours < 1 || closeNeighbours < 0 || closeNeighbours > neighbours || samplesPerRound < 1
                    || rounds < 0 || !(randomSampleProbability >= 0 && randomSampleProbability <= 1)) {
                throw new IllegalArgumentException("invalid replay options");
            }
        }

        public static Options defaults(long seed) {
            return new Options(VivaldiConfig.defaults2d(), 32, 0, 1, 0.5, 3000, seed);
        }

        public Options withRounds(int r) {
            return new Options(vivaldi, neighbours, closeNeighbours, samplesPerRound, randomSampleProbability, r, seed);
        }

        public Options withSeed(long s) {
            return new Options(vivaldi, neighbours, closeNeighbours, samplesPerRound, randomSampleProbability, rounds, s);
        }

        public Options withVivaldi(VivaldiConfig v) {
            return new Options(v, neighbours, closeNeighbours, samplesPerRound, randomSampleProbability, rounds, seed);
        }

        public Options withNeighbours(int total, int close) {
            return new Options(vivaldi, total, close, samplesPerRound, randomSampleProbability, rounds, seed);
        }

        public Options withRandomSampleProbability(double p) {
            return new Options(vivaldi, neighbours, closeNeighbours, samplesPerRound, p, rounds, seed);
        }
    }

    /** Accuracy over all known pairs. */
    public record Result(int nodes, long pairs, double medianRelativeError, double p90RelativeError) {}

    private final RttMatrix matrix;
    private final Options options;
    private final VivaldiService[] services;
    private final io.starling.core.net.NodeId[] ids;
    private final int[][] neighbourSets;
    private final int[][] knownPeers;
    private final RandomSource random;
    private final ReplayClock clock = new ReplayClock();
    private int roundsDone;

    /** Virtual time of the replay: one round is one second, so decay ages read as in production. */
    static final long ROUND_MILLIS = 1000;

    private static final class ReplayClock implements io.starling.core.time.Clock {
        long nowMillis;

        @Override
        public long wallMillis() {
            return nowMillis;
        }

        @Override
        public long monoNanos() {
            return nowMillis * 1_000_000L;
        }
    }

    public VivaldiReplay(RttMatrix matrix, Options options) {
        this(matrix, options, VivaldiService.Config.of(options.vivaldi()));
    }

    public VivaldiReplay(RttMatrix matrix, Options options, VivaldiService.Config serviceConfig) {
        this.matrix = matrix;
        this.options = options;
        int n = matrix.size();
        RandomSource root = new SeededRandom(options.seed());
        this.random = root.derive("replay");
        this.services = new VivaldiService[n];
        this.ids = new io.starling.core.net.NodeId[n];
        this.knownPeers = new int[n][];
        this.neighbourSets = new int[n][];
        RandomSource pick = root.derive("neighbours");
        for (int i = 0; i < n; i++) {
            services[i] = new VivaldiService(serviceConfig, root.derive("node-" + i), clock);
            ids[i] = idOf(i);
            knownPeers[i] = known(i);
            neighbourSets[i] = chooseNeighbours(i, pick);
        }
    }

    private int[] known(int i) {
        int n = matrix.size();
        int[] out = new int[n];
        int k = 0;
        for (int j = 0; j < n; j++) {
            if (matrix.known(i, j)) {
                out[k++] = j;
            }
        }
        return Arrays.copyOf(out, k);
    }

    private int[] chooseNeighbours(int i, RandomSource pick) {
        int[] candidates = knownPeers[i];
        int want = Math.min(options.neighbours(), candidates.length);
        List<Integer> chosen = new ArrayList<>(want);
        boolean[] taken = new boolean[matrix.size()];
        if (options.closeNeighbours() > 0) {
            Integer[] byRtt = Arrays.stream(candidates).boxed().toArray(Integer[]::new);
            Arrays.sort(byRtt, (a, b) -> {
                int c = Double.compare(matrix.rtt(i, a), matrix.rtt(i, b));
                return c != 0 ? c : Integer.compare(a, b);
            });
            for (int k = 0; k < Math.min(options.closeNeighbours(), want); k++) {
                chosen.add(byRtt[k]);
                taken[byRtt[k]] = true;
            }
        }
        // partial Fisher-Yates over a copy for the random rest
        int[] pool = candidates.clone();
        int end = pool.length;
        while (chosen.size() < want && end > 0) {
            int r = pick.nextInt(end);
            int j = pool[r];
            pool[r] = pool[--end];
            if (!taken[j]) {
                taken[j] = true;
                chosen.add(j);
            }
        }
        return chosen.stream().mapToInt(Integer::intValue).toArray();
    }

    private static io.starling.core.net.NodeId idOf(int i) {
        byte[] b = new byte[io.starling.core.net.NodeId.BYTES];
        b[16] = (byte) (i >>> 24);
        b[17] = (byte) (i >>> 16);
        b[18] = (byte) (i >>> 8);
        b[19] = (byte) i;
        return io.starling.core.net.NodeId.of(b);
    }

    /** Runs {@code rounds} more rounds. */
    public void run(int rounds) {
        int n = services.length;
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < n; i++) {
                if (neighbourSets[i].length == 0) {
                    continue;
                }
                for (int s = 0; s < options.samplesPerRound(); s++) {
                    int j = options.randomSampleProbability() > 0 && random.nextDouble() < options.randomSampleProbability()
                            ? knownPeers[i][random.nextInt(knownPeers[i].length)]
                            : neighbourSets[i][random.nextInt(neighbourSets[i].length)];
                    VivaldiService remote = services[j];
                    services[i].onSample(ids[j], remote.local(), remote.error(), matrix.rtt(i, j));
                }
            }
            roundsDone++;
            clock.nowMillis += ROUND_MILLIS;
        }
    }

    /** Runs all configured rounds, reporting progress {@code reports} times. */
    public Result runAll(int reports, Consumer<String> progress) {
        int total = options.rounds();
        int step = Math.max(1, total / Math.max(1, reports));
        while (roundsDone < total) {
            int todo = Math.min(step, total - roundsDone);
            run(todo);
            Result r = evaluate();
            progress.accept(String.format(java.util.Locale.ROOT, "round %d/%d median_rel_err=%.3f p90_rel_err=%.3f",
                    roundsDone, total, r.medianRelativeError(), r.p90RelativeError()));
        }
        return evaluate();
    }

    public Result evaluate() {
        int n = services.length;
        Coordinate[] c = new Coordinate[n];
        for (int i = 0; i < n; i++) {
            c[i] = services[i].local();
        }
        double[] errs = new double[n * (n - 1)];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (matrix.known(i, j)) {
                    double actual = matrix.rtt(i, j);
                    errs[k++] = Math.abs(c[i].distanceTo(c[j]) - actual) / actual;
                }
            }
        }
        if (k == 0) {
            return new Result(n, 0, Double.NaN, Double.NaN);
        }
        double[] e = Arrays.copyOf(errs, k);
        Arrays.sort(e);
        return new Result(n, k, quantile(e, 0.5), quantile(e, 0.9));
    }

    private static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    public int roundsDone() {
        return roundsDone;
    }

    public Coordinate coordinate(int node) {
        return services[node].local();
    }

    public VivaldiService service(int node) {
        return services[node];
    }
}
