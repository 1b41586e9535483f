package io.starling.scheduler.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.starling.dht.kube.ResourceType;
import io.starling.dht.kube.Resources;
import io.starling.dht.store.WatchEvent;
import io.starling.dht.store.WatchListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Once the cluster is in its desired state the controllers stop writing (no status ping-pong). */
class QuiescenceTest {
    @Test
    void noWritesOnceConverged() {
        ClusterFixture c = new ClusterFixture();
        Service svc = new Service();
        svc.setMetadata(ClusterFixture.meta("web", "default"));
        ServiceSpec spec = new ServiceSpec();
        spec.setSelector(Map.of("app", "web"));
        ServicePort port = new ServicePort();
        port.setPort(80);
        port.setTargetPort(new IntOrString(8080));
        spec.setPorts(List.of(port));
        svc.setSpec(spec);
        c.await(c.client.create(svc));
        c.deployment("web", 3, "nginx:1", d -> d.getSpec().setMinReadySeconds(2));
        c.kubeletUntilStable("n1");
        c.advance(5_000);
        List<String> writes = new ArrayList<>();
        for (ResourceType rt : List.of(Resources.DEPLOYMENTS, Resources.REPLICA_SETS, Resources.PODS,
                Resources.ENDPOINT_SLICES, Resources.ENDPOINTS, Resources.NODES, Resources.EVENTS)) {
            c.store.watch(rt.collection("default"), 0, new WatchListener() {
                @Override
                public void onEvent(WatchEvent e) {
                    writes.add(e.type() + " " + e.object().key());
                }
            });
            c.store.watch(rt.collection(""), 0, new WatchListener() {
                @Override
                public void onEvent(WatchEvent e) {
                    writes.add(e.type() + " " + e.object().key());
                }
            });
        }
        c.advance(60_000);
        assertEquals(List.of(), writes);
        assertEquals(3, c.deploymentNow("web").getStatus().getAvailableReplicas());
    }
}
