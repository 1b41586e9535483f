package io.starling.dht.node;

/**
 * Limits and intervals of a DHT member; units are in the names.
 *
 * @param k bucket size and lookup result size (Kademlia k)
 * @param alpha parallel requests per lookup
 * @param replicationFactor r: copies of each collection, on the r closest super-peers
 * @param replacementCacheSize candidates kept per full bucket
 * @param requestTimeoutMillis timeout of one DHT request
 * @param refreshIntervalMillis a bucket not used by a lookup for this long is refreshed
 * @param republishIntervalMillis every holder re-sends its records to the current replica set
 * @param repairDelayMillis debounce of re-replication after a routing-table change
 * @param replicaCacheMillis how long a looked-up replica set is reused
 * @param tombstoneGraceMillis tombstones are purged only this long after their revision
 * @param sweepIntervalMillis expired soft state and old tombstones are purged this often
 * @param cacheMaxBytes bound of the in-memory record cache
 * @param maxRecordsPerMessage records per STORE/sync message
 * @param watchLogSize changes kept per collection for watch resumption
 * @param watchRenewMillis watchers renew their subscription (and learn progress) this often
 * @param crossSiteIntervalMillis a site primary sends unacknowledged changes to the other sites this
 *     often (and shortly after every local write); failed sends are retried at this pace
 * @param directoryRefreshMillis a super-peer republishes its site-directory record and re-reads the
 *     directory this often (records live three periods)
 */
public record DhtConfig(int k, int alpha, int replicationFactor, int replacementCacheSize,
                        long requestTimeoutMillis, long refreshIntervalMillis, long republishIntervalMillis,
                        long repairDelayMillis, long replicaCacheMillis, long tombstoneGraceMillis,
                        long sweepIntervalMillis, long cacheMaxBytes, int maxRecordsPerMessage,
                        int watchLogSize, long watchRenewMillis, long crossSiteIntervalMillis,
                        long directoryRefreshMillis) {
    public static final long DEFAULT_CROSS_SITE_INTERVAL_MILLIS = 300;
    public static final long DEFAULT_DIRECTORY_REFRESH_MILLIS = 120_000;

    /** The configuration without the site-replication knobs (they take their defaults). */
    public DhtConfig(int k, int alpha, int replicationFactor, int replacementCacheSize,
                     long requestTimeoutMillis, long refreshIntervalMillis, long republishIntervalMillis,
                     long repairDelayMillis, long replicaCacheMillis, long tombstoneGraceMillis,
                     long sweepIntervalMillis, long cacheMaxBytes, int maxRecordsPerMessage,
                     int watchLogSize, long watchRenewMillis) {
        this(k, alpha, replicationFactor, replacementCacheSize, requestTimeoutMillis, refreshIntervalMillis,
                republishIntervalMillis, repairDelayMillis, replicaCacheMillis, tombstoneGraceMillis, sweepIntervalMillis,
                cacheMaxBytes, maxRecordsPerMessage, watchLogSize, watchRenewMillis, DEFAULT_CROSS_SITE_INTERVAL_MILLIS,
                DEFAULT_DIRECTORY_REFRESH_MILLIS);
    }

    public DhtConfig {
        if (k < 1 || alpha < 1 || replicationFactor < 1 || replicationFactor > k) {
            throw new IllegalArgumentException("need k >= 1, alpha >= 1, 1 <= replicationFactor <= k");
        }
        if (requestTimeoutMillis <= 0 || refreshIntervalMillis <= 0 || republishIntervalMillis <= 0
                || repairDelayMillis < 0 || replicaCacheMillis < 0 || tombstoneGraceMillis < 0
                || sweepIntervalMillis <= 0 || cacheMaxBytes <= 0 || maxRecordsPerMessage < 1
                || watchLogSize < 1 || watchRenewMillis <= 0 || crossSiteIntervalMillis <= 0
                || directoryRefreshMillis <= 0) {
            throw new IllegalArgumentException("DHT limits and intervals must be positive");
        }
    }

    public static DhtConfig defaults() {
        return new DhtConfig(20, 3, 3, 8, 2_000, 3_600_000, 3_600_000, 1_000, 5_000,
                7L * 24 * 3_600_000, 600_000, 32L * 1024 * 1024, 256, 1_000, 5_000);
    }

    public DhtConfig withReplicationFactor(int r) {
        return new DhtConfig(k, alpha, r, replacementCacheSize, requestTimeoutMillis, refreshIntervalMillis,
                republishIntervalMillis, repairDelayMillis, replicaCacheMillis, tombstoneGraceMillis,
                sweepIntervalMillis, cacheMaxBytes, maxRecordsPerMessage, watchLogSize, watchRenewMillis,
                crossSiteIntervalMillis, directoryRefreshMillis);
    }

    public DhtConfig withRepublishIntervalMillis(long millis) {
        return new DhtConfig(k, alpha, replicationFactor, replacementCacheSize, requestTimeoutMillis, refreshIntervalMillis,
                millis, repairDelayMillis, replicaCacheMillis, tombstoneGraceMillis,
                sweepIntervalMillis, cacheMaxBytes, maxRecordsPerMessage, watchLogSize, watchRenewMillis,
                crossSiteIntervalMillis, directoryRefreshMillis);
    }

    public DhtConfig withTombstoneGraceMillis(long millis) {
        return new DhtConfig(k, alpha, replicationFactor, replacementCacheSize, requestTimeoutMillis, refreshIntervalMillis,
                republishIntervalMillis, repairDelayMillis, replicaCacheMillis, millis,
                sweepIntervalMillis, cacheMaxBytes, maxRecordsPerMessage, watchLogSize, watchRenewMillis,
                crossSiteIntervalMillis, directoryRefreshMillis);
    }

    public DhtConfig withWatchLogSize(int size) {
        return new DhtConfig(k, alpha, replicationFactor, replacementCacheSize, requestTimeoutMillis, refreshIntervalMillis,
                republishIntervalMillis, repairDelayMillis, replicaCacheMillis, tombstoneGraceMillis,
                sweepIntervalMillis, cacheMaxBytes, maxRecordsPerMessage, size, watchRenewMillis,
                crossSiteIntervalMillis, directoryRefreshMillis);
    }

    public DhtConfig withCrossSiteIntervalMillis(long millis) {
        return new DhtConfig(k, alpha, replicationFactor, replacementCacheSize, requestTimeoutMillis, refreshIntervalMillis,
                republishIntervalMillis, repairDelayMillis, replicaCacheMillis, tombstoneGraceMillis,
                sweepIntervalMillis, cacheMaxBytes, maxRecordsPerMessage, watchLogSize, watchRenewMillis,
                millis, directoryRefreshMillis);
    }

    public DhtConfig withDirectoryRefreshMillis(long millis) {
        return new DhtConfig(k, alpha, replicationFactor, replacementCacheSize, requestTimeoutMillis, refreshIntervalMillis,
                republishIntervalMillis, repairDelayMillis, replicaCacheMillis, tombstoneGraceMillis,
                sweepIntervalMillis, cacheMaxBytes, maxRecordsPerMessage, watchLogSize, watchRenewMillis,
                crossSiteIntervalMillis, millis);
    }
}
