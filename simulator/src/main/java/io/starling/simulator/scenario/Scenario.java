package io.starling.simulator.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A simulation scenario as written in YAML. Durations are strings such as {@code 500ms}, {@code 30s},
 * {@code 10m}, {@code 1h} (a bare number is seconds). {@link ScenarioLoader} reads and checks it;
 * {@link #expandSites()} turns site groups into concrete sites.
 *
 * @param name free text, copied into the summary
 * @param duration virtual time the workload phase runs (after the super-peers formed the DHT)
 * @param settle extra virtual time after the end of the workload before the final checks
 * @param sites sites or groups of sites ({@code count > 1})
 * @param links the network model
 * @param workload Deployments and Pods created over time
 * @param churn edge peers crashing, leaving and joining
 * @param partitions site sets cut off from the rest and healed later
 * @param superPeerCrashes individual super-peers crashing (and restarting)
 * @param probes measurement traffic: DHT lookups, acknowledged probe writes, Vivaldi pairs
 */
public record Scenario(String name, String duration, String settle, List<SiteSpec> sites, Links links,
                       List<WorkloadItem> workload, Churn churn, List<Partition> partitions,
                       List<SuperPeerCrash> superPeerCrashes, Probes probes) {

    public Scenario {
        workload = workload == null ? List.of() : List.copyOf(workload);
        partitions = partitions == null ? List.of() : List.copyOf(partitions);
        superPeerCrashes = superPeerCrashes == null ? List.of() : List.copyOf(superPeerCrashes);
        sites = sites == null ? List.of() : List.copyOf(sites);
        links = links == null ? new Links(null, null, null, null, null, null, null) : links;
        churn = churn == null ? new Churn(null, null, null, null, null) : churn;
        probes = probes == null ? new Probes(null, null, null) : probes;
    }

    /**
     * One site, or {@code count} sites named {@code name-000 ...} with the same shape.
     *
     * @param edgePeers edge peers per site
     * @param edgePeersTotal alternatively, edge peers over the whole group (spread evenly, first sites get the rest)
     * @param lanRttMs RTT between two peers of this site (default: links.lanRttMs)
     * @param matrixIndex row of the RTT matrix for this site (default: its position among all sites)
     * @param capacities instead of {@code capacity}: capacities the site's edge peers take in turn (the i-th edge
     *                   peer of a site gets entry i mod n), for heterogeneous racks
     */
    public record SiteSpec(String name, Integer count, Integer superPeers, Integer edgePeers, Integer edgePeersTotal,
                           Capacity capacity, Double lanRttMs, Integer matrixIndex, List<Capacity> capacities) {}

    /** What one edge peer offers to pods. */
    public record Capacity(Long cpuMillis, Long memoryMiB, Integer pods) {}

    /**
     * @param wanRttMs constant RTT between sites (and the fallback for pairs the matrix lacks)
     * @param rttMatrix TSV/CSV of site-to-site RTTs in ms, relative to the scenario file or the working directory
     * @param jitterMs uniform one-way jitter added to each message, [0, jitterMs)
     * @param loss probability that a message is lost
     * @param bandwidthMbps uplink of every peer in megabits per second (default: unlimited)
     */
    public record Links(Double lanRttMs, Double wanRttMs, String rttMatrix, Double jitterMs, Double loss,
                        @JsonProperty("matrixScale") Double matrixScale, Double bandwidthMbps) {}

    /**
     * @param kind Deployment or Pod
     * @param usersSite where the users are; {@code "*"} = every site in turn (one item per repetition)
     * @param count how many objects (names get a -N suffix when more than one)
     * @param interval time between two of them
     */
    public record WorkloadItem(String at, String kind, String name, Integer replicas, String usersSite, Integer count,
                               String interval, Long cpuMillis, Long memoryMiB) {}

    /** Rates per edge peer per hour (crash, leave) and new edge peers per hour over the cluster (join). */
    public record Churn(Double crashPerPeerHour, Double leavePerPeerHour, Double joinPerHour, String start, String end) {}

    /** {@code sites} are cut from every other site at {@code at} and healed at {@code heal}. */
    public record Partition(String at, String heal, List<String> sites) {}

    /** The {@code index}-th super-peer of {@code site} crashes at {@code at}; restarts at {@code restartAt} if given. */
    public record SuperPeerCrash(String at, String site, Integer index, String restartAt) {}

    /**
     * @param lookupsPerMinute DHT lookups of random ids from random live super-peers
     * @param writesPerMinute acknowledged probe writes (ConfigMaps) through random super-peers, checked at the end
     * @param vivaldiPairs peer pairs sampled for the Vivaldi error at the end
     */
    public record Probes(Double lookupsPerMinute, Double writesPerMinute, Integer vivaldiPairs) {}
}
