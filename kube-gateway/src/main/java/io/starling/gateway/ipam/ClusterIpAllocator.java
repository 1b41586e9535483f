package io.starling.gateway.ipam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.dht.store.ClusterStore;
import io.starling.dht.store.CollectionKey;
import io.starling.dht.store.ObjectKey;
import io.starling.dht.store.Precondition;
import io.starling.dht.store.StoreException;
import io.starling.dht.store.Versioned;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Hands out ClusterIPs from a {@link ServiceCidr}. Every address in use has a claim record in
 * one cluster-wide store collection ({@value #CLAIM_GROUP}/{@value #CLAIM_RESOURCE}, named by the
 * address, naming its Service); a claim is written with MUST_NOT_EXIST, so two super-peers of a
 * site that pick the same address at once cannot both win: the loser moves on to the next
 * candidate. Claims are read once per allocation to skip known-taken candidates.
 *
 * <p>Limits: across sites claims replicate asynchronously, so two sites that both allocate while
 * cut off from each other rely on {@link ServiceCidr}'s per-site blocks; should they still pick
 * the same address, the later claim wins on merge and the node proxies serve the older Service on
 * it (ServiceRoutes). A claim whose release failed (super-peer crash between the two writes)
 * keeps its address until the same Service name is created again.
 */
public final class ClusterIpAllocator {
    public static final String CLAIM_GROUP = "starling.io";
    public static final String CLAIM_RESOURCE = "clusteripclaims";
    /** Compare-and-set losses tolerated per allocation before giving up (each moves to a new candidate). */
    static final int MAX_CLAIM_CONFLICTS = 32;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The requested or computed address cannot be used: a 422 with this field error. */
    public static final class InvalidClusterIp extends RuntimeException {
        public InvalidClusterIp(String fieldError) {
            super(fieldError);
        }
    }

    /**
     * What {@link #allocate} did.
     *
     * @param ip the Service's address ("" when it gets none)
     * @param claimedNow this call wrote the claim (so it may release it if the Service write fails);
     *     false when the claim already named this Service (a retried create) or nothing was claimed
     */
    public record Allocation(String ip, boolean claimedNow) {
        static final Allocation NONE = new Allocation("", false);
    }

    private enum Claim { NEW, OURS, TAKEN }

    private final ClusterStore store;
    private final Executor worker;
    private final ServiceCidr cidr;
    private final String site;
    private final CollectionKey claims;

    /**
     * @param worker where continuations run (never the store's event loop)
     * @param site this super-peer's site: picks the sub-block new addresses come from
     */
    public ClusterIpAllocator(ClusterStore store, Executor worker, ServiceCidr cidr, String site) {
        this.store = store;
        this.worker = worker;
        this.cidr = cidr;
        this.site = site;
        this.claims = new CollectionKey(CollectionKey.DEFAULT_SCOPE, CLAIM_GROUP, CLAIM_RESOURCE, "");
    }

    public ServiceCidr cidr() {
        return cidr;
    }

    /**
     * Fills spec.clusterIP/clusterIPs of a Service being created (ClusterIP, NodePort and
     * LoadBalancer; headless {@code None} and ExternalName get none), honouring a requested
     * address if it is inside the range and free. Fails with {@link InvalidClusterIp}.
     *
     * @param owner scope/namespace/name of the Service (the claim's content)
     * @param dryRun choose without claiming
     */
    public CompletableFuture<Allocation> allocate(ObjectNode service, String owner, boolean dryRun) {
        ObjectNode spec = service.get("spec") instanceof ObjectNode o ? o : service.putObject("spec");
        String type = spec.path("type").asText("ClusterIP");
        String requested = spec.hasNonNull("clusterIP") ? spec.get("clusterIP").asText() : "";
        if (requested.isEmpty() && spec.path("clusterIPs").isArray() && !spec.path("clusterIPs").isEmpty()) {
            requested = spec.path("clusterIPs").get(0).asText();
        }
        if ("ExternalName".equals(type)) {
            return CompletableFuture.completedFuture(Allocation.NONE);
        }
        if ("None".equals(requested)) {
            setIp(spec, "None");
            return CompletableFuture.completedFuture(Allocation.NONE);
        }
        if (!requested.isEmpty()) {
            return claimRequested(spec, requested, owner, dryRun);
        }
        return listClaims().thenComposeAsync(taken -> claimNext(spec, owner, taken, 0, 0, dryRun), worker);
    }

    /** Claims {@code ip} for {@code owner} unless another Service has it (the seeded kubernetes Service). */
    public CompletableFuture<Boolean> claimExact(String ip, String owner) {
        return putClaim(ip, owner).thenApply(c -> c != Claim.TAKEN);
    }

    /** Drops the claim of {@code ip} if it still names {@code owner}; best effort. */
    public CompletableFuture<Void> release(String ip, String owner) {
        if (ip == null || !cidr.contains(ip)) {
            return CompletableFuture.completedFuture(null);
        }
        ObjectKey key = claims.object(ip);
        return store.get(key).thenCompose(v -> {
            if (v.isPresent() && owner.equals(ownerOf(v.get()))) {
                return store.delete(key, Precondition.revisionEquals(v.get().revision())).thenApply(x -> (Void) null);
            }
            return CompletableFuture.<Void>completedFuture(null);
        }).exceptionally(e -> null);
    }

    private CompletableFuture<Allocation> claimRequested(ObjectNode spec, String ip, String owner, boolean dryRun) {
        if (ServiceCidr.parseIp(ip) == null) {
            return CompletableFuture.failedFuture(new InvalidClusterIp("spec.clusterIPs[0]: Invalid value: \"" + ip
                    + "\": must be a valid IPv4 address"));
        }
        int offset = cidr.offsetOf(ip);
        if (offset < 0 || !cidr.usable(offset) && !ip.equals(cidr.first())) {
            return CompletableFuture.failedFuture(new InvalidClusterIp("spec.clusterIPs: Invalid value: \"" + ip
                    + "\": provided IP is not in the valid range. The range of valid IPs is " + cidr));
        }
        CompletableFuture<Claim> claim;
        if (dryRun) {
            claim = store.get(claims.object(ip)).thenApply(v -> v.isEmpty() || owner.equals(ownerOf(v.get())) ? Claim.OURS : Claim.TAKEN);
        } else {
            claim = putClaim(ip, owner);
        }
        return claim.thenApplyAsync(c -> {
            if (c == Claim.TAKEN) {
                throw new InvalidClusterIp("spec.clusterIPs: Invalid value: \"" + ip
                        + "\": failed to allocate IP " + ip + ": provided IP is already allocated");
            }
            setIp(spec, ip);
            return new Allocation(ip, c == Claim.NEW);
        }, worker);
    }

    private CompletableFuture<Allocation> claimNext(ObjectNode spec, String owner, Map<String, String> taken,
                                                int attempt, int conflicts, boolean dryRun) {
        String key = owner.substring(owner.indexOf('/') + 1); // namespace/name: the same in every scope
        for (int a = attempt; a < cidr.size(); a++) {
            int offset = cidr.candidate(site, key, a);
            if (!cidr.usable(offset)) {
                continue;
            }
            String ip = cidr.addressAt(offset);
            String holder = taken.get(ip);
            if (holder != null && !holder.equals(owner)) {
                continue;
            }
            if (dryRun) {
                setIp(spec, ip);
                return CompletableFuture.completedFuture(new Allocation(ip, false));
            }
            int next = a + 1;
            return putClaim(ip, owner).thenComposeAsync(c -> {
                if (c != Claim.TAKEN) {
                    setIp(spec, ip);
                    return CompletableFuture.completedFuture(new Allocation(ip, c == Claim.NEW));
                }
                if (conflicts + 1 >= MAX_CLAIM_CONFLICTS) {
                    throw new InvalidClusterIp("spec.clusterIPs: Internal error: failed to allocate a service IP: "
                            + MAX_CLAIM_CONFLICTS + " concurrent claims won over this one; try again");
                }
                return claimNext(spec, owner, taken, next, conflicts + 1, false);
            }, worker);
        }
        return CompletableFuture.failedFuture(new InvalidClusterIp("spec.clusterIPs: Internal error: failed to allocate a service IP: range is full ("
                + cidr + ")"));
    }

    /** Writes the claim unless it exists: NEW, OURS (it already named {@code owner}) or TAKEN. */
    private CompletableFuture<Claim> putClaim(String ip, String owner) {
        ObjectKey key = claims.object(ip);
        return store.put(key, claimBytes(ip, owner), Precondition.MUST_NOT_EXIST)
                .thenApply(v -> Claim.NEW)
                .exceptionallyCompose(e -> {
                    Throwable c = unwrap(e);
                    if (c instanceof StoreException se && se.reason() == StoreException.Reason.ALREADY_EXISTS) {
                        return store.get(key).thenApply(v -> v.isPresent() && owner.equals(ownerOf(v.get())) ? Claim.OURS : Claim.TAKEN);
                    }
                    return CompletableFuture.failedFuture(c);
                });
    }

    private CompletableFuture<Map<String, String>> listClaims() {
        return store.list(claims).thenApply(r -> {
            Map<String, String> out = new TreeMap<>();
            for (Versioned v : r.items()) {
                out.put(v.key().name(), ownerOf(v));
            }
            return out;
        });
    }

    private static void setIp(ObjectNode spec, String ip) {
        spec.put("clusterIP", ip);
        spec.putArray("clusterIPs").add(ip);
        if (!"None".equals(ip)) {
            spec.putIfAbsent("ipFamilies", JSON.createArrayNode().add("IPv4"));
            spec.putIfAbsent("ipFamilyPolicy", spec.textNode("SingleStack"));
        }
    }

    private static byte[] claimBytes(String ip, String owner) {
        ObjectNode o = JSON.createObjectNode();
        o.put("apiVersion", CLAIM_GROUP + "/v1");
        o.put("kind", "ClusterIPClaim");
        o.putObject("metadata").put("name", ip);
        o.putObject("spec").put("service", owner);
        try {
            return JSON.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String ownerOf(Versioned v) {
        try {
            JsonNode n = JSON.readTree(new String(v.value(), StandardCharsets.UTF_8));
            return n.path("spec").path("service").asText("");
        } catch (IOException e) {
            return "";
        }
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** For diagnostics: the claim of {@code ip}, if any. */
    public CompletableFuture<Optional<String>> holderOf(String ip) {
        return store.get(claims.object(ip)).thenApply(v -> v.map(ClusterIpAllocator::ownerOf));
    }
}
