package io.starling.scheduler.election;

import java.util.Objects;

/**
 * Settings of one {@link LeaderElector}.
 *
 * @param role what is elected, e.g. "scheduler" or "controllers"
 * @param site the site the role is active in
 * @param identity this candidate (unique per peer, e.g. the peer's node name)
 * @param leaseNamespace namespace of the Lease object (kube-system)
 * @param leaseDurationMillis how long a lease not renewed blocks other candidates
 * @param renewPeriodMillis how often the leader renews
 * @param retryPeriodMillis how often a follower tries to acquire
 * @param renewDeadlineMillis a leader that could not renew for this long steps down
 */
public record LeaderElectionConfig(String role, String site, String identity, String leaseNamespace,
                                   long leaseDurationMillis, long renewPeriodMillis, long retryPeriodMillis,
                                   long renewDeadlineMillis) {
    public static final long DEFAULT_LEASE_DURATION_MILLIS = 6_000;
    public static final long DEFAULT_RENEW_PERIOD_MILLIS = 2_000;

    public LeaderElectionConfig {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(identity, "identity");
        if (identity.isEmpty()) {
            throw new IllegalArgumentException("identity must not be empty");
        }
        if (leaseDurationMillis < 1000 || renewPeriodMillis <= 0 || retryPeriodMillis <= 0) {
            throw new IllegalArgumentException("need leaseDurationMillis >= 1000 and positive periods");
        }
        if (renewDeadlineMillis >= leaseDurationMillis || renewDeadlineMillis < renewPeriodMillis) {
            throw new IllegalArgumentException("need renewPeriodMillis <= renewDeadlineMillis < leaseDurationMillis");
        }
    }

    /** Defaults: lease 6 s, renew every 2 s, retry every 2 s, step down after 4 s without renewal. */
    public static LeaderElectionConfig of(String role, String site, String identity) {
        return new LeaderElectionConfig(role, site, identity, "kube-system", DEFAULT_LEASE_DURATION_MILLIS,
                DEFAULT_RENEW_PERIOD_MILLIS, DEFAULT_RENEW_PERIOD_MILLIS, 4_000);
    }

    /** The Lease's name, {@code starling-<role>-<site>}. */
    public String leaseName() {
        return "starling-" + role + "-" + site;
    }
}
