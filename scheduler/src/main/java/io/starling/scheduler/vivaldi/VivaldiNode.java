package io.starling.scheduler.vivaldi;

import io.starling.core.random.RandomSource;

/**
 * The pure Vivaldi update (Dabek et al., SIGCOMM 2004, figure 3, with height vectors from section
 * 5.5): one RTT sample to a remote node moves the local coordinate along the spring between them.
 *
 * <p>Implementation notes. The spring "force" is {@code rtt - predicted}; the timestep is adaptive,
 * {@code delta = cc * w} with {@code w = e_local / (e_local + e_remote)}, so a confident node moves
 * little when it hears from an unsure one. In height-vector space the difference of two coordinates
 * is {@code [x_i - x_j, h_i + h_j]} and its norm is the predicted RTT, so the move changes the vector
 * along the unit direction and the height in proportion to {@code (h_i + h_j)}; a height is never
 * below {@link VivaldiConfig#minHeightMs()}. Coincident vectors get a random unit direction from the
 * injected {@link RandomSource}, so replays are deterministic. With neighbour decay (Ledlie et
 * al., NSDI 2007, section 4.2) the move averages the springs to all recently heard neighbours,
 * weighted by how recent their sample is.
 */
public final class VivaldiNode {
    private final VivaldiConfig config;
    private final RandomSource random;

    public VivaldiNode(VivaldiConfig config, RandomSource random) {
        this.config = config;
        this.random = random;
    }

    public VivaldiConfig config() {
        return config;
    }

    /**
     * One spring of a neighbour-decay update: a neighbour's last coordinate, its filtered RTT and
     * the weight of that (possibly old) sample.
     */
    public record Spring(Coordinate remote, double rttMs, double weight) {}

    /**
     * @return the new local state after one sample, or {@code local} unchanged if the sample is
     * unusable (non-finite, above maxRttMs, or a coordinate of another dimension)
     */
    public VivaldiState update(VivaldiState local, Coordinate remote, double remoteError, double rttMs) {
        return update(local, remote, remoteError, rttMs, null);
    }

    /**
     * Update with Ledlie et al.'s neighbour decay: the error estimate and the timestep come from the
     * new sample, but the move is the weighted mean of the springs to all recent neighbours
     * ({@code springs}, which should include the new sample), so one neighbour cannot yank the
     * coordinate back and forth. {@code springs == null} is the plain single-sample update.
     */
    public VivaldiState update(VivaldiState local, Coordinate remote, double remoteError, double rttMs, java.util.List<Spring> springs) {
        if (!usable(local, remote, remoteError, rttMs)) {
            return local;
        }
        double rtt = Math.max(rttMs, config.minRttMs());
        double re = clamp(remoteError, config.minError(), config.maxError());
        Coordinate x = local.coordinate();
        double predicted = x.distanceTo(remote);

        double w = local.error() / (local.error() + re);
        double sampleError = Math.abs(predicted - rtt) / rtt;
        double error = clamp(config.ce() * w * sampleError + local.error() * (1 - config.ce() * w),
                config.minError(), config.maxError());
        double delta = config.cc() * w;

        int n = x.dimensions();
        double[] move = new double[n + 1]; // vector components, then height
        if (springs == null) {
            addSpring(x, remote, rtt, 1.0, move);
        } else {
            double total = 0;
            for (Spring s : springs) {
                if (s.weight() > 0 && Double.isFinite(s.weight()) && s.remote().dimensions() == n
                        && Double.isFinite(s.rttMs()) && s.rttMs() >= 0 && s.rttMs() <= config.maxRttMs()) {
                    addSpring(x, s.remote(), Math.max(s.rttMs(), config.minRttMs()), s.weight(), move);
                    total += s.weight();
                }
            }
            if (total <= 0) {
                addSpring(x, remote, rtt, 1.0, move);
                total = 1.0;
            }
            for (int i = 0; i <= n; i++) {
                move[i] /= total;
            }
        }
        double[] xv = x.raw();
        double[] nv = new double[n];
        for (int i = 0; i < n; i++) {
            nv[i] = xv[i] + delta * move[i];
            if (!Double.isFinite(nv[i])) {
                return local;
            }
        }
        double newHeight = Math.max(x.heightMs() + delta * move[n], config.minHeightMs());
        if (!Double.isFinite(newHeight)) {
            return local;
        }
        return new VivaldiState(Coordinate.owning(nv, newHeight), error);
    }

    private boolean usable(VivaldiState local, Coordinate remote, double remoteError, double rttMs) {
        return Double.isFinite(rttMs) && rttMs >= 0 && rttMs <= config.maxRttMs() && Double.isFinite(remoteError)
                && remote.dimensions() == config.dimensions() && local.coordinate().dimensions() == config.dimensions();
    }

    /**
     * Adds {@code weight * (rtt - predicted) * u(x - y)} to {@code move}. In height-vector space
     * the unit vector is {@code [x - y, h_x + h_y] / predicted}; coincident vectors get a random
     * direction and leave the height alone.
     */
    private void addSpring(Coordinate x, Coordinate y, double rtt, double weight, double[] move) {
        double[] xv = x.raw();
        double[] yv = y.raw();
        int n = xv.length;
        double euclid = 0;
        for (int i = 0; i < n; i++) {
            double d = xv[i] - yv[i];
            euclid += d * d;
        }
        euclid = Math.sqrt(euclid);
        double heightSum = x.heightMs() + y.heightMs();
        double predicted = euclid + heightSum;
        double force = weight * (rtt - predicted);
        if (euclid > 1e-9) {
            for (int i = 0; i < n; i++) {
                move[i] += force * (xv[i] - yv[i]) / predicted;
            }
            move[n] += force * heightSum / predicted;
        } else {
            double[] dir = randomUnit(n);
            for (int i = 0; i < n; i++) {
                move[i] += force * dir[i];
            }
        }
    }

    private double[] randomUnit(int n) {
        double[] d = new double[n];
        double norm = 0;
        while (norm < 1e-12) {
            norm = 0;
            for (int i = 0; i < n; i++) {
                d[i] = random.nextDouble() * 2 - 1;
                norm += d[i] * d[i];
            }
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < n; i++) {
            d[i] /= norm;
        }
        return d;
    }

    /** Predicted RTT between two coordinates, in ms. */
    public static double predictRtt(Coordinate a, Coordinate b) {
        return a.distanceTo(b);
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
