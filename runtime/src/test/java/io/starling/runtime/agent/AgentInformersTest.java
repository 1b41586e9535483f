package io.starling.runtime.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.starling.core.random.SeededRandom;
import io.starling.dht.kube.KubeJson;
import io.starling.dht.kube.ObjectClient;
import io.starling.dht.kube.Resources;
import io.starling.dht.store.MemoryClusterStore;
import io.starling.runtime.backend.ContainerBackend;
import io.starling.runtime.backend.ContainerSpec;
import io.starling.runtime.backend.InMemoryBackend;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's local caches on virtual time: Services come from a watch (a pod gets the Services
 * that exist when it starts, also ones created after the agent listed the namespace, and not
 * deleted ones), and the pod informer skips pods bound elsewhere without losing a pod that is
 * bound here later or moved away.
 */
class AgentInformersTest {
    private final ManualEventLoop loop = new ManualEventLoop();
    private final MemoryClusterStore store = new MemoryClusterStore(loop, "site-a");
    private final ObjectClient client = new ObjectClient(store, loop.clock(), new SeededRandom(7));
    private final InMemoryBackend backend = new InMemoryBackend(loop.clock());
    /** pod name -> env of its container, as the backend was asked to start it. */
    private final Map<String, Map<String, String>> envs = new TreeMap<>();
    private Path dataDir;
    private NodeAgent agent;

    @BeforeEach
    void start() throws Exception {
        dataDir = Files.createTempDirectory("st-inf-");
        NodeAgentConfig cfg = NodeAgentConfig.builder("edge-1").site("site-a").dataDir(dataDir).agentPort(-1)
                .internalIP("10.1.0.7").build();
        agent = new NodeAgent(cfg, client, loop, recording(backend), Runnable::run);
        agent.start();
        loop.advance(100);
    }

    @AfterEach
    void stop() {
        agent.close();
        PodDirs.deleteTree(dataDir);
    }

    /** The backend, noting the env of every container it creates. */
    private ContainerBackend recording(ContainerBackend inner) {
        return (ContainerBackend) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ContainerBackend.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("createContainer")) {
                        ContainerSpec spec = (ContainerSpec) args[2];
                        envs.put(spec.labels().get(io.starling.runtime.backend.Labels.POD_NAME), spec.env());
                    }
                    try {
                        return method.invoke(inner, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private <T> T join(CompletableFuture<T> f) {
        loop.runPending();
        return f.join();
    }

    private static Container sleeper() {
        return new ContainerBuilder().withName("app").withImage("busybox:1").withCommand("sleep", "1000").build();
    }

    private static Service service(String name, String ip) {
        return new ServiceBuilder().withNewMetadata().withNamespace("default").withName(name).endMetadata()
                .withNewSpec().withClusterIP(ip).addNewPort().withPort(80).endPort().endSpec().build();
    }

    @Test
    void podsGetTheServicesThatExistWhenTheyStart() {
        join(client.create(service("kubernetes", "127.96.0.1")));
        join(client.create(Pods.pod("default", "before", "edge-1", sleeper())));
        loop.advance(1_000);
        assertEquals("127.96.0.1", envs.get("before").get("KUBERNETES_SERVICE_HOST"));
        assertNull(envs.get("before").get("WEB_SERVICE_HOST"));

        // created after the agent listed the namespace: arrives through the watch
        Service web = join(client.create(service("web", "127.96.0.9")));
        loop.advance(100);
        join(client.create(Pods.pod("default", "after", "edge-1", sleeper())));
        loop.advance(1_000);
        assertEquals("127.96.0.9", envs.get("after").get("WEB_SERVICE_HOST"));
        assertEquals("80", envs.get("after").get("WEB_SERVICE_PORT"));

        join(client.delete(Resources.SERVICES, "default", web.getMetadata().getName()));
        loop.advance(100);
        join(client.create(Pods.pod("default", "gone", "edge-1", sleeper())));
        loop.advance(1_000);
        assertNull(envs.get("gone").get("WEB_SERVICE_HOST"));
        assertEquals("127.96.0.1", envs.get("gone").get("KUBERNETES_SERVICE_HOST"));
        // a running pod's env does not change
        assertNull(envs.get("before").get("WEB_SERVICE_HOST"));
    }

    @Test
    void podsBoundElsewhereAreSkippedButOnesBoundHereLaterAreRun() {
        // "edge-10" contains "edge-1": only the quoted name may count
        join(client.create(Pods.pod("default", "other", "edge-10", sleeper())));
        join(client.create(Pods.pod("default", "later", null, sleeper())));
        loop.advance(1_000);
        assertFalse(envs.containsKey("other"));
        assertFalse(envs.containsKey("later"));

        Pod later = join(client.get(Pod.class, "default", "later")).orElseThrow();
        later.getSpec().setNodeName("edge-1");
        join(client.update(later));
        loop.advance(1_000);
        assertTrue(envs.containsKey("later"), "bound here after creation");
        Pod running = join(client.get(Pod.class, "default", "later")).orElseThrow();
        assertTrue(Pods.runningReady(running), KubeJson.MAPPER.valueToTree(running.getStatus()).toString());

        // moved away (an odd but legal store write): the agent stops its containers
        running.getSpec().setNodeName("edge-10");
        join(client.update(running));
        loop.advance(5_000);
        List<String> left = new ArrayList<>();
        backend.listContainers().stream().filter(c -> c.state() == io.starling.runtime.backend.ContainerInfo.State.RUNNING)
                .forEach(c -> left.add(c.labels().get(io.starling.runtime.backend.Labels.POD_NAME)));
        assertFalse(left.contains("later"), "containers of a pod no longer bound here: " + left);
    }

    @Test
    void quotedNameSearch() {
        byte[] json = "{\"spec\":{\"nodeName\":\"edge-10\"}}".getBytes();
        assertEquals(-1, PodInformer.indexOf(json, "\"edge-1\"".getBytes()));
        assertTrue(PodInformer.indexOf(json, "\"edge-10\"".getBytes()) > 0);
        assertEquals(0, PodInformer.indexOf(json, "{".getBytes()));
        assertEquals(-1, PodInformer.indexOf("ab".getBytes(), "abc".getBytes()));
    }
}
