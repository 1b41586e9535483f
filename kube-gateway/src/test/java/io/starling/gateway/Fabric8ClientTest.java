package io.starling.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fabric8 Kubernetes client (a real client library, JDK HTTP transport) against two gateways. */
class Fabric8ClientTest {
    private GatewayFixture f;
    private KubernetesClient a;
    private KubernetesClient b;

    @BeforeEach
    void start() {
        f = new GatewayFixture(2);
        a = client(f.url(0));
        b = client(f.url(1));
    }

    private static KubernetesClient client(String url) {
        Config c = new ConfigBuilder(Config.empty()).withMasterUrl(url).withNamespace("default")
                .withRequestRetryBackoffLimit(0).build();
        return new KubernetesClientBuilder().withConfig(c).build();
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        f.close();
    }

    @Test
    void crud() {
        a.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("apps").endMetadata().build()).create();
        Deployment d = new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("apps").endMetadata()
                .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("nginx:1.27").endContainer().endSpec()
                .endTemplate().endSpec().build();
        Deployment created = a.apps().deployments().inNamespace("apps").resource(d).create();
        assertNotNull(created.getMetadata().getUid());
        assertEquals("IfNotPresent", created.getSpec().getTemplate().getSpec().getContainers().get(0).getImagePullPolicy());

        Deployment read = b.apps().deployments().inNamespace("apps").withName("web").get();
        assertEquals(created.getMetadata().getResourceVersion(), read.getMetadata().getResourceVersion());

        Deployment edited = b.apps().deployments().inNamespace("apps").withName("web")
                .edit(x -> new DeploymentBuilder(x).editSpec().withReplicas(5).endSpec().build());
        assertEquals(5, edited.getSpec().getReplicas());
        assertEquals(2L, edited.getMetadata().getGeneration());

        b.apps().deployments().inNamespace("apps").withName("web").scale(3);
        assertEquals(3, a.apps().deployments().inNamespace("apps").withName("web").get().getSpec().getReplicas());

        // a stale update through the other peer is a 409
        read.getSpec().setReplicas(9);
        KubernetesClientException conflict = assertThrows(KubernetesClientException.class,
                () -> a.apps().deployments().inNamespace("apps").resource(read).update());
        assertEquals(409, conflict.getCode());

        List<Deployment> items = a.apps().deployments().inAnyNamespace().withLabel("app").list().getItems();
        assertTrue(items.isEmpty(), "the deployment itself carries no labels");
        assertEquals(1, a.apps().deployments().inAnyNamespace().list().getItems().size());

        a.apps().deployments().inNamespace("apps").withName("web").delete();
        assertNull(b.apps().deployments().inNamespace("apps").withName("web").get());
    }

    @Test
    void watch() throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        Watch w = a.configMaps().inNamespace("default").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap cm) {
                events.add(action + " " + cm.getMetadata().getName() + " " + cm.getData());
            }

            @Override
            public void onClose(WatcherException cause) {
                events.add("CLOSED");
            }
        });
        try {
            ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName("w").endMetadata().withData(Map.of("k", "1")).build();
            b.configMaps().inNamespace("default").resource(cm).create();
            b.configMaps().inNamespace("default").withName("w").edit(x -> new ConfigMapBuilder(x).withData(Map.of("k", "2")).build());
            b.configMaps().inNamespace("default").withName("w").delete();
            assertEquals("ADDED w {k=1}", events.poll(10, TimeUnit.SECONDS));
            assertEquals("MODIFIED w {k=2}", events.poll(10, TimeUnit.SECONDS));
            assertEquals("DELETED w {k=2}", events.poll(10, TimeUnit.SECONDS));
        } finally {
            w.close();
        }
    }
}
