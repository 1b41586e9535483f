package io.starling.scheduler.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.starling.dht.kube.KubeJson;
import io.starling.dht.kube.Resources;
import io.starling.scheduler.controller.endpoints.EndpointsController;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointsControllerTest {
    private final ClusterFixture c = new ClusterFixture();

    private EndpointSlice slice() {
        return c.await(c.client.get(EndpointSlice.class, "default", "web")).orElseThrow();
    }

    @Test
    void sliceFollowsReadyPodsWithTheirSiteAsZone() {
        Service svc = new Service();
        svc.setMetadata(ClusterFixture.meta("web", "default"));
        ServiceSpec spec = new ServiceSpec();
        spec.setSelector(Map.of("app", "web"));
        ServicePort port = new ServicePort();
        port.setName("http");
        port.setPort(80);
        port.setTargetPort(new IntOrString(8080));
        port.setProtocol("TCP");
        spec.setPorts(List.of(port));
        svc.setSpec(spec);
        c.await(c.client.create(svc));
        c.deployment("web", 2, "nginx:1", x -> {});
        c.settle();
        assertTrue(slice().getEndpoints().isEmpty(), "no pod has an IP yet");
        assertEquals("web", slice().getMetadata().getLabels().get(EndpointsController.SERVICE_NAME));
        assertEquals("IPv4", slice().getAddressType());

        c.kubeletUntilStable("n1");
        List<Endpoint> eps = slice().getEndpoints();
        assertEquals(2, eps.size());
        for (Endpoint e : eps) {
            assertTrue(e.getConditions().getReady());
            assertEquals("n1", e.getNodeName());
            assertEquals("s1", e.getZone());
            assertEquals("s1", e.getHints().getForZones().get(0).getName());
        }
        assertEquals(8080, slice().getPorts().get(0).getPort());
        Endpoints legacy = c.await(c.client.get(Endpoints.class, "default", "web")).orElseThrow();
        assertEquals(2, legacy.getSubsets().get(0).getAddresses().size());

        // one pod stops being ready
        Pod p = c.pods().get(0);
        Pod copy = KubeJson.copy(p, Pod.class);
        copy.getStatus().getConditions().get(0).setStatus("False");
        c.await(c.client.update(copy));
        c.settle();
        assertEquals(1, slice().getEndpoints().stream().filter(e -> e.getConditions().getReady()).count());
        legacy = c.await(c.client.get(Endpoints.class, "default", "web")).orElseThrow();
        assertEquals(1, legacy.getSubsets().get(0).getAddresses().size());
        assertEquals(1, legacy.getSubsets().get(0).getNotReadyAddresses().size());

        // the service goes: its Endpoints go, and its slice is collected as a dependent
        c.await(c.client.delete(Resources.SERVICES, "default", "web"));
        c.advance(1000);
        assertTrue(c.await(c.client.get(EndpointSlice.class, "default", "web")).isEmpty());
        assertFalse(c.await(c.client.get(Endpoints.class, "default", "web")).isPresent());
    }
}
