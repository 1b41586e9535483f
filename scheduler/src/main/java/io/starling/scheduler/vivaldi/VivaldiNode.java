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
 * injected {@link RandomSource}, so replays are deterministic.
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
     * @return the new local state after one sample, or {@code local} unchanged if the sample is
     * unusable (non-finite, above maxRttMs, or a coordinate of another dimension)
     */
    public VivaldiState update(VivaldiState local, Coordinate remote, double remoteError, double rttMs) {
        if (!Double.isFinite(rttMs) || rttMs < 0 || rttMs > config.maxRttMs() || !Double.isFinite(remoteError)
                || remote.dimensions() != config.dimensions() || local.coordinate().dimensions() != config.dimensions()) {
            return local;
        }
        double rtt = Math.max(rttMs, config.minRttMs());
        double re = clamp(remoteError, config.minError(), config.maxError());
        Coordinate x = local.coordinate();
        double[] xv = x.raw();
        double[] yv = remote.raw();
        int n = xv.length;

        double euclid = 0;
        for (int i = 0; i < n; i++) {
            double d = xv[i] - yv[i];
            euclid += d * d;
        }
        euclid = Math.sqrt(euclid);
        double heightSum = x.heightMs() + remote.heightMs();
        double predicted = euclid + heightSum;

        double w = local.error() / (local.error() + re);
        double sampleError = Math.abs(predicted - rtt) / rtt;
        double error = clamp(config.ce() * w * sampleError + local.error() * (1 - config.ce() * w),
                config.minError(), config.maxError());

        double delta = config.cc() * w;
        double force = delta * (rtt - predicted);

        double[] nv = new double[n];
        double newHeight;
        if (euclid > 1e-9) {
            // unit vector in height space: [x - y, h_x + h_y] / predicted
            for (int i = 0; i < n; i++) {
                nv[i] = xv[i] + force * (xv[i] - yv[i]) / predicted;
            }
            newHeight = x.heightMs() + force * heightSum / predicted;
        } else {
            // coincident: push apart in a random direction, height unchanged
            double[] dir = randomUnit(n);
            for (int i = 0; i < n; i++) {
                nv[i] = xv[i] + force * dir[i];
            }
            newHeight = x.heightMs();
        }
        newHeight = Math.max(newHeight, config.minHeightMs());
        for (double v : nv) {
            if (!Double.isFinite(v)) {
                return local;
            }
        }
        if (!Double.isFinite(newHeight)) {
            return local;
        }
        return new VivaldiState(Coordinate.owning(nv, newHeight), error);
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
