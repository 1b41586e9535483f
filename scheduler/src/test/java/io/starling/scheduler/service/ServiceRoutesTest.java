package io.starling.scheduler.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.starling.scheduler.service.ServiceRoutes.Listen;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which addresses the proxy serves for which Service. */
class ServiceRoutesTest {
    private static Service svc(String name, String created, String type, String clusterIp, int port, Integer target, Integer nodePort) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace("default").withCreationTimestamp(created)
                .endMetadata().withNewSpec().withType(type).withClusterIP(clusterIp).addNewPort().withPort(port)
                .withTargetPort(target == null ? null : new IntOrString(target)).withNodePort(nodePort).endPort().endSpec().build();
    }

    private static EndpointSlice slice(String service, int port) {
        return new EndpointSliceBuilder().withNewMetadata().withName(service + "-x").withNamespace("default")
                .addToLabels("kubernetes.io/service-name", service).endMetadata().withAddressType("IPv4")
                .addNewEndpoint().withAddresses("127.0.0.1").withNodeName("n1").endEndpoint()
                .addNewPort().withPort(port).endPort().build();
    }

    @Test
    void nodePortServicesAreServedOnTheirClusterIpAndTheirNodePort() {
        var t = ServiceRoutes.build(List.of(svc("web", "2026-01-01T00:00:00Z", "NodePort", "127.96.0.9", 80, 8080, 30080)),
                List.of(slice("web", 8080)), List.of(), "n1", null, "10.1.2.3");
        assertEquals(List.of(new Listen("10.1.2.3", 30080), new Listen("127.96.0.9", 80)), List.copyOf(t.routes().keySet()));
        assertEquals(8080, t.routes().get(new Listen("127.96.0.9", 80)).endpoints().get(0).port());
        assertEquals(0.0, t.routes().get(new Listen("127.96.0.9", 80)).endpoints().get(0).predictedRttMs(), "own node is 0 ms away");
    }

    @Test
    void nonLoopbackHeadlessAndExternalNameAreNotServed() {
        var t = ServiceRoutes.build(List.of(
                svc("old", "2026-01-01T00:00:00Z", "ClusterIP", "10.96.0.7", 80, 8080, null),
                svc("headless", "2026-01-01T00:00:00Z", "ClusterIP", "None", 80, 8080, null),
                svc("ext", "2026-01-01T00:00:00Z", "ExternalName", "127.96.0.5", 80, 8080, null)),
                List.of(), List.of(), "n1", null, "127.0.0.1");
        assertTrue(t.routes().isEmpty(), t.routes().toString());
    }

    @Test
    void anAddressClaimedTwiceGoesToTheOlderService() {
        var t = ServiceRoutes.build(List.of(
                svc("young", "2026-01-02T00:00:00Z", "ClusterIP", "127.96.0.9", 80, 8080, null),
                svc("old", "2026-01-01T00:00:00Z", "ClusterIP", "127.96.0.9", 80, 9090, null)),
                List.of(), List.of(), "n1", null, "127.0.0.1");
        assertEquals("old", t.routes().get(new Listen("127.96.0.9", 80)).service());
        assertEquals(1, t.warnings().size());
        assertTrue(t.warnings().get(0).contains("default/young"), t.warnings().toString());
    }

    /** A host-network pod on 0.0.0.0:P and a listener on clusterIP:P would exclude each other. */
    @Test
    void aServicePortEqualToItsTargetPortIsLeftToThePods() {
        var t = ServiceRoutes.build(List.of(svc("same", "2026-01-01T00:00:00Z", "ClusterIP", "127.96.0.9", 8080, 8080, null),
                svc("unset", "2026-01-01T00:00:00Z", "ClusterIP", "127.96.0.10", 8081, null, null)),
                List.of(slice("same", 8080)), List.of(), "n1", null, "127.0.0.1");
        assertTrue(t.routes().isEmpty(), t.routes().toString());
        assertEquals(2, t.warnings().size(), t.warnings().toString());
    }
}
