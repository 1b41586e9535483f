package io.starling.simulator;

import io.starling.core.random.RandomSource;
import io.starling.core.sim.LatencyModel;
import io.starling.core.sim.SimEndpoint;
import io.starling.simulator.scenario.Plan;
import java.util.HashMap;
import java.util.Map;

/**
 * The scenario's link model as a {@link LatencyModel}: half the site-to-site RTT (LAN RTT inside a
 * site; the RTT matrix, or the constant WAN RTT, between sites) plus uniform jitter. {@link #rttMillis}
 * is the jitter-free RTT the Vivaldi error is measured against.
 */
final class SiteLatency implements LatencyModel {
    private final Plan plan;
    /** Lookup only, never iterated. */
    private final Map<String, Plan.SitePlan> sites = new HashMap<>();

    SiteLatency(Plan plan) {
        this.plan = plan;
        for (Plan.SitePlan s : plan.sites()) {
            sites.put(s.name(), s);
        }
    }

    double rttMillis(String siteA, String siteB) {
        Plan.SitePlan a = sites.get(siteA);
        Plan.SitePlan b = sites.get(siteB);
        if (a == null || b == null) {
            return plan.links().wanRttMs();
        }
        if (a == b) {
            return a.lanRttMs();
        }
        double[][] m = plan.links().rttMs();
        if (m != null) {
            double v = m[a.matrixIndex()][b.matrixIndex()];
            if (!(v > 0)) {
                v = m[b.matrixIndex()][a.matrixIndex()];
            }
            if (v > 0) {
                return v;
            }
        }
        return plan.links().wanRttMs();
    }

    @Override
    public double oneWayMillis(SimEndpoint from, SimEndpoint to, RandomSource random) {
        double jitter = plan.links().jitterMs();
        return rttMillis(from.site(), to.site()) / 2 + (jitter > 0 ? random.nextDouble() * jitter : 0);
    }
}
