package io.starling.gateway.ipam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.core.exec.ThreadEventLoop;
import io.starling.dht.store.MemoryClusterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Allocation against the in-memory store: range, collisions, requested IPs, headless, errors. */
class ClusterIpAllocatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ThreadEventLoop loop = new ThreadEventLoop("ipam-test");
    private final MemoryClusterStore store = new MemoryClusterStore(loop, "a");
    private final ExecutorService worker = Executors.newFixedThreadPool(2);

    @AfterEach
    void close() {
        worker.shutdownNow();
        loop.close();
    }

    private ClusterIpAllocator allocator(String cidr, String site) {
        return new ClusterIpAllocator(store, worker, ServiceCidr.parse(cidr), site);
    }

    private static ObjectNode service(String spec) throws Exception {
        return (ObjectNode) JSON.readTree("{\"metadata\":{\"name\":\"s\",\"namespace\":\"default\"},\"spec\":" + spec + "}");
    }

    private static String get(CompletableFuture<ClusterIpAllocator.Allocation> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS).ip();
    }

    @Test
    void assignsAnAddressInsideTheRangeAndSetsClusterIps() throws Exception {
        ObjectNode svc = service("{\"type\":\"ClusterIP\"}");
        String ip = get(allocator("127.96.0.0/16", "a").allocate(svc, "default/default/web", false));
        assertTrue(ServiceCidr.defaults().contains(ip), ip);
        assertEquals(ip, svc.path("spec").path("clusterIP").asText());
        assertEquals(ip, svc.path("spec").path("clusterIPs").get(0).asText());
        assertEquals("default/default/web", allocator("127.96.0.0/16", "a").holderOf(ip).get(10, TimeUnit.SECONDS).orElse(""));
    }

    /** A /28 has 13 usable addresses: 13 Services get 13 different ones, the 14th a clear error. */
    @Test
    void collisionsProbeOnUntilTheRangeIsFull() throws Exception {
        ClusterIpAllocator a = allocator("127.96.7.0/28", "a");
        ClusterIpAllocator b = allocator("127.96.7.0/28", "b");
        TreeSet<String> ips = new TreeSet<>();
        List<CompletableFuture<ClusterIpAllocator.Allocation>> concurrent = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            // two "super-peers" allocate at once; the claims' compare-and-set keeps them apart
            concurrent.add((i % 2 == 0 ? a : b).allocate(service("{}"), "default/default/svc-" + i, false));
        }
        for (CompletableFuture<ClusterIpAllocator.Allocation> f : concurrent) {
            ips.add(get(f));
        }
        assertEquals(13, ips.size(), "every Service got its own address: " + ips);
        assertTrue(!ips.contains("127.96.7.0") && !ips.contains("127.96.7.1") && !ips.contains("127.96.7.15"), ips.toString());
        ExecutionException full = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> get(a.allocate(service("{}"), "default/default/one-more", false)));
        assertTrue(full.getCause().getMessage().contains("range is full"), full.getCause().getMessage());
    }

    @Test
    void aRequestedAddressIsHonouredWhenFreeAndRefusedOtherwise() throws Exception {
        ClusterIpAllocator a = allocator("127.96.0.0/16", "a");
        assertEquals("127.96.3.4", get(a.allocate(service("{\"clusterIP\":\"127.96.3.4\"}"), "default/default/one", false)));
        ExecutionException taken = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> get(a.allocate(service("{\"clusterIP\":\"127.96.3.4\"}"), "default/default/two", false)));
        assertTrue(taken.getCause().getMessage().contains("provided IP is already allocated"), taken.getCause().getMessage());
        ExecutionException outside = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> get(a.allocate(service("{\"clusterIP\":\"10.0.0.5\"}"), "default/default/three", false)));
        assertTrue(outside.getCause().getMessage().contains("not in the valid range. The range of valid IPs is 127.96.0.0/16"),
                outside.getCause().getMessage());
        ExecutionException garbage = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> get(a.allocate(service("{\"clusterIP\":\"nope\"}"), "default/default/four", false)));
        assertTrue(garbage.getCause() instanceof ClusterIpAllocator.InvalidClusterIp);
        // the same Service asking again (a retried create) keeps its address, but did not claim it now
        ClusterIpAllocator.Allocation again = a.allocate(service("{\"clusterIP\":\"127.96.3.4\"}"), "default/default/one", false)
                .get(10, TimeUnit.SECONDS);
        assertEquals(new ClusterIpAllocator.Allocation("127.96.3.4", false), again);
    }

    @Test
    void headlessAndExternalNameGetNoAddress() throws Exception {
        ObjectNode headless = service("{\"clusterIP\":\"None\"}");
        assertEquals("", get(allocator("127.96.0.0/16", "a").allocate(headless, "default/default/h", false)));
        assertEquals("None", headless.path("spec").path("clusterIPs").get(0).asText());
        ObjectNode ext = service("{\"type\":\"ExternalName\",\"externalName\":\"example.org\"}");
        assertEquals("", get(allocator("127.96.0.0/16", "a").allocate(ext, "default/default/e", false)));
        assertTrue(ext.path("spec").path("clusterIP").isMissingNode());
    }

    @Test
    void releaseFreesTheAddressForOthersAndDryRunClaimsNothing() throws Exception {
        ClusterIpAllocator a = allocator("127.96.0.0/16", "a");
        String dry = get(a.allocate(service("{}"), "default/default/web", true));
        assertTrue(a.holderOf(dry).get(5, TimeUnit.SECONDS).isEmpty(), "a dry run claims nothing");
        String ip = get(a.allocate(service("{}"), "default/default/web", false));
        assertEquals(dry, ip, "the dry run predicts the address");
        a.release(ip, "default/default/other").get(5, TimeUnit.SECONDS);
        assertTrue(a.holderOf(ip).get(5, TimeUnit.SECONDS).isPresent(), "only the owner releases");
        a.release(ip, "default/default/web").get(5, TimeUnit.SECONDS);
        assertEquals(ip, get(a.allocate(service("{\"clusterIP\":\"" + ip + "\"}"), "default/default/next", false)));
        assertNotEquals(ip, get(a.allocate(service("{}"), "default/default/web", false)), "the hashed address is taken now");
    }
}
