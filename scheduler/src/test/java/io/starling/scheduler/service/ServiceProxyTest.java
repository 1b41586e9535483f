package io.starling.scheduler.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.starling.core.exec.ThreadEventLoop;
import io.starling.core.random.SeededRandom;
import io.starling.dht.kube.ObjectClient;
import io.starling.dht.store.MemoryClusterStore;
import io.starling.scheduler.vivaldi.Coordinate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The proxy over real loopback sockets: a NodePort Service with one endpoint near this node and
 * one far away (by Vivaldi coordinates on their Nodes). Connections go to the near one, to the far
 * one once the near one is not ready, and the port closes when the Service goes.
 */
@Timeout(60)
class ServiceProxyTest {
    private final ThreadEventLoop loop = new ThreadEventLoop("proxy-test");
    private final MemoryClusterStore store = new MemoryClusterStore(loop, "a");
    private final ObjectClient client = new ObjectClient(store, loop.clock(), new SeededRandom(1));
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        loop.close();
    }

    @Test
    void connectionsGoToTheNearestReadyEndpoint() throws Exception {
        int near = echoServer("near");
        int far = echoServer("far");
        int nodePort = freePort();
        client.create(node("local", "a", "0,0,0,0.1")).get(5, TimeUnit.SECONDS);
        client.create(node("near-node", "a", "2,0,0,0.1")).get(5, TimeUnit.SECONDS);
        client.create(node("far-node", "b", "90,0,0,0.1")).get(5, TimeUnit.SECONDS);
        client.create(new ServiceBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata()
                .withNewSpec().withType("NodePort").addNewPort().withPort(80).withNodePort(nodePort).endPort().endSpec()
                .build()).get(5, TimeUnit.SECONDS);
        client.create(slice("web-near", "near-node", near)).get(5, TimeUnit.SECONDS);
        client.create(slice("web-far", "far-node", far)).get(5, TimeUnit.SECONDS);

        ServiceProxy proxy = new ServiceProxy(client, loop, "local", "127.0.0.1", () -> Coordinate.of2d(0, 0, 0));
        closeables.add(proxy);
        proxy.start();
        assertEquals("near", awaitAnswer(nodePort, "near"));

        EndpointSlice updated = client.get(EndpointSlice.class, "default", "web-near").get(5, TimeUnit.SECONDS).orElseThrow();
        updated.getEndpoints().get(0).getConditions().setReady(false);
        client.update(updated).get(5, TimeUnit.SECONDS);
        assertEquals("far", awaitAnswer(nodePort, "far"), "the far endpoint serves once the near one is not ready");

        client.delete(io.starling.dht.kube.Resources.SERVICES, "default", "web").get(5, TimeUnit.SECONDS);
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline && proxy.listeningPorts().contains(nodePort)) {
            Thread.sleep(50);
        }
        assertTrue(!proxy.listeningPorts().contains(nodePort), "the node port closes with its Service");
    }

    /** A ClusterIP Service on a loopback address other than 127.0.0.1: a real socket on 127.96.x.y relays to the endpoint. */
    @Test
    void aClusterIpIsServedOnItsLoopbackAddress() throws Exception {
        int backend = echoServer("backend");
        int servicePort = freePort();
        String clusterIp = "127.96.250." + (2 + Math.floorMod(servicePort, 250));
        client.create(node("local", "a", "0,0,0,0.1")).get(5, TimeUnit.SECONDS);
        client.create(new ServiceBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP(clusterIp).addNewPort().withPort(servicePort)
                .withNewTargetPort(backend).endPort().endSpec()
                .build()).get(5, TimeUnit.SECONDS);
        client.create(slice("web-1", "local", backend)).get(5, TimeUnit.SECONDS);

        ServiceProxy proxy = new ServiceProxy(client, loop, "local", "127.0.0.1", () -> null);
        closeables.add(proxy);
        proxy.start();
        assertEquals("backend", awaitAnswer(InetAddress.getByName(clusterIp), servicePort, "backend"));
        assertTrue(proxy.listeningPorts().isEmpty(), "a ClusterIP Service has no node port");
        assertTrue(proxy.listening().contains(new ServiceRoutes.Listen(clusterIp, servicePort)));
    }

    private String awaitAnswer(int port, String expected) throws Exception {
        return awaitAnswer(InetAddress.getLoopbackAddress(), port, expected);
    }

    private String awaitAnswer(InetAddress host, int port, String expected) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket(host, port)) {
                s.setSoTimeout(2000);
                s.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
                last = new String(s.getInputStream().readNBytes(expected.length()), StandardCharsets.UTF_8);
                if (last.equals(expected)) {
                    return last;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(100);
        }
        return last;
    }

    private static Node node(String name, String site, String coords) {
        return new NodeBuilder().withNewMetadata().withName(name).addToLabels("starling.io/site", site)
                .addToAnnotations("starling.io/vivaldi", coords).endMetadata().build();
    }

    /** One slice per endpoint: the two endpoints listen on different ports. */
    private static EndpointSlice slice(String name, String node, int port) {
        return new EndpointSliceBuilder().withNewMetadata().withName(name).withNamespace("default")
                .addToLabels("kubernetes.io/service-name", "web").endMetadata()
                .withAddressType("IPv4")
                .addNewEndpoint().withAddresses("127.0.0.1").withNodeName(node)
                .withNewConditions().withReady(true).endConditions().endEndpoint()
                .addNewPort().withPort(port).endPort()
                .build();
    }

    /** A server that answers every connection with {@code name} after reading a line. */
    private int echoServer(String name) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        closeables.add(server);
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    while (in.read() != '\n') {
                        // read the request line
                    }
                    OutputStream out = s.getOutputStream();
                    out.write(name.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (IOException e) {
                    // closed at the end of the test
                }
            }
        }, "echo-" + name);
        t.setDaemon(true);
        t.start();
        return server.getLocalPort();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
