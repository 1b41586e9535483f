package io.starling.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.core.exec.EventLoop;
import io.starling.dht.kube.ResourceType;
import io.starling.core.random.RandomSource;
import io.starling.core.time.Clock;
import io.starling.gateway.ipam.ClusterIpAllocator;
import io.starling.gateway.ipam.ServiceCidr;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.BiConsumer;

/**
 * What the API classes share: the object store, the peer's event loop (timers), time, randomness and
 * the site name. The random source is guarded because worker threads share it.
 */
public final class ApiContext {
    /** The serving super-peer's Vivaldi coordinate, for the Est-RTT column of node tables. */
    private volatile java.util.function.Supplier<String> viewerCoordinates = () -> null;

    private static final char[] NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789".toCharArray();

    private final ObjectStore objects;
    private final EventLoop loop;
    private final RandomSource random;
    private final String siteName;
    private final int maxWatchSeconds;
    /** Mutating admission applied to every object written through the API (after defaulting); none by default. */
    private volatile BiConsumer<ResourceType, ObjectNode> admission = (rt, o) -> { };
    private volatile ClusterIpAllocator clusterIps;

    public ApiContext(ObjectStore objects, EventLoop loop, RandomSource random, String siteName, int maxWatchSeconds) {
        this.objects = objects;
        this.loop = loop;
        this.random = random;
        this.siteName = siteName;
        this.maxWatchSeconds = maxWatchSeconds;
    }

    public String viewerCoordinates() {
        return viewerCoordinates.get();
    }

    public void setViewerCoordinates(java.util.function.Supplier<String> coordinates) {
        this.viewerCoordinates = coordinates;
    }

    public void setAdmission(BiConsumer<ResourceType, ObjectNode> admission) {
        this.admission = admission;
    }

    /** Runs the mutating admission on an object about to be written. */
    public void admit(ResourceType rt, ObjectNode object) {
        admission.accept(rt, object);
    }

    /** Where Services get their ClusterIP; the default range unless {@link #setClusterIps} was called. */
    public ClusterIpAllocator clusterIps() {
        ClusterIpAllocator a = clusterIps;
        if (a == null) {
            a = new ClusterIpAllocator(objects.store(), objects.worker(), ServiceCidr.defaults(), siteName);
            clusterIps = a;
        }
        return a;
    }

    public void setClusterIps(ClusterIpAllocator allocator) {
        this.clusterIps = allocator;
    }

    public ObjectStore objects() {
        return objects;
    }

    public EventLoop loop() {
        return loop;
    }

    public Clock clock() {
        return loop.clock();
    }

    public String siteName() {
        return siteName;
    }

    public int maxWatchSeconds() {
        return maxWatchSeconds;
    }

    public String timestamp() {
        return Instant.ofEpochMilli(clock().wallMillis()).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** A version-4 style UUID from the injected random source. */
    public String newUid() {
        long hi;
        long lo;
        synchronized (random) {
            hi = random.nextLong();
            lo = random.nextLong();
        }
        hi = (hi & 0xffffffffffff0fffL) | 0x0000000000004000L;
        lo = (lo & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new java.util.UUID(hi, lo).toString();
    }

    /** Five characters for metadata.generateName, from the alphabet kube-apiserver uses. */
    public String nameSuffix() {
        StringBuilder sb = new StringBuilder(5);
        synchronized (random) {
            for (int i = 0; i < 5; i++) {
                sb.append(NAME_CHARS[random.nextInt(NAME_CHARS.length)]);
            }
        }
        return sb.toString();
    }
}
