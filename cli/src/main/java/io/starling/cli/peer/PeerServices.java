package io.starling.cli.peer;

import io.netty.handler.ssl.ClientAuth;
import io.starling.core.net.PeerAddress;
import io.starling.core.security.ClusterCa;
import io.starling.core.security.Keys;
import io.starling.core.security.PeerTls;
import io.starling.dht.kube.ObjectClient;
import io.starling.dht.kube.StarlingLabels;
import io.starling.gateway.GatewayConfig;
import io.starling.gateway.KubeApiServer;
import io.starling.gateway.kubelet.AgentClientTls;
import io.starling.gateway.kubelet.KubeletProxy;
import io.starling.runtime.agent.NodeAgent;
import io.starling.runtime.agent.NodeAgentConfig;
import io.starling.runtime.backend.ContainerBackend;
import io.starling.runtime.containerd.ContainerdBackend;
import io.starling.runtime.containerd.PrivateContainerd;
import io.starling.runtime.containerd.TestImage;
import io.starling.runtime.http.AgentTls;
import io.starling.runtime.process.ProcessBackend;
import io.starling.scheduler.controller.ControllerConfig;
import io.starling.scheduler.controller.ControllerManager;
import io.starling.scheduler.election.LeaderCallbacks;
import io.starling.scheduler.election.LeaderElectionConfig;
import io.starling.scheduler.election.LeaderElector;
import io.starling.scheduler.placement.SchedulerConfig;
import io.starling.scheduler.placement.SiteScheduler;
import io.starling.scheduler.service.ServiceProxy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The services a peer runs on top of its store: on super-peers the Kubernetes API and, under
 * per-site leader election, the site scheduler and controllers; on every peer with a runtime the
 * node agent, which also publishes the peer's Vivaldi coordinates on its Node.
 */
final class PeerServices {
    private static final Logger LOG = Logger.getLogger(PeerServices.class.getName());

    private PeerServices() {}

    static void start(PeerNode node) throws Exception {
        PeerSettings s = node.settings();
        ObjectClient client = new ObjectClient(node.store(), node.loop().clock(), node.random().derive("objects"));
        if (s.superPeer()) {
            if (s.apiListen() != null) {
                startGateway(node, s.apiListen());
            }
            startSiteLeadership(node, client);
        }
        if (!"none".equals(s.runtime())) {
            NodeAgent agent = startAgent(node, client);
            node.coordinates().publishTo(agent::updateCoordinates);
            startServiceProxy(node, client);
        }
    }

    /** ClusterIPs (loopback) and NodePorts on this node's address, each connection to the nearest ready endpoint. */
    private static void startServiceProxy(PeerNode node, ObjectClient client) {
        PeerSettings s = node.settings();
        ServiceProxy proxy = new ServiceProxy(client, node.loop(), s.nodeName(), s.advertised().host(),
                () -> node.coordinates().vivaldi().local());
        node.addCloseable(proxy);
        proxy.start();
    }

    private static void startGateway(PeerNode node, PeerAddress api) throws Exception {
        ClusterCa ca = node.credentials().clusterCa(node.loop().clock()).orElseThrow(() ->
                new IllegalStateException("this super-peer has no cluster CA key; it cannot serve HTTPS"));
        KeyPair key = Keys.newEcP256();
        List<String> sans = new ArrayList<>(List.of(api.host()));
        for (String extra : List.of("127.0.0.1", "localhost")) {
            if (!sans.contains(extra)) {
                sans.add(extra);
            }
        }
        X509Certificate cert = ca.issueServerCertificate(key, sans);
        // OPTIONAL: scope users may authenticate with a bearer token instead; the gateway answers 401 to neither
        var ssl = PeerTls.httpsServer(key.getPrivate(), cert, ca.certificate(), ClientAuth.OPTIONAL)
                .applicationProtocolConfig(io.starling.gateway.http.HttpProtocols.alpn()).build();
        GatewayConfig cfg = GatewayConfig.plain(api.host(), api.port(), node.settings().site()).withSsl(ssl).withTenancy()
                .withServiceCidr(node.settings().serviceCidr())
                // logs and exec reach node agents over mutual TLS with this super-peer's own peer certificate
                .withKubeletProxy(KubeletProxy.mutualTls(AgentClientTls.of(node.credentials())));
        KubeApiServer server = new KubeApiServer(cfg, node.store(), node.loop(), node.random().derive("gateway"));
        server.setCoordinates(node.coordinates()::snapshot);
        InetSocketAddress bound = server.start();
        node.addCloseable(server);
        node.setApiAddress(new PeerAddress(api.host(), bound.getPort()));
    }

    private static void startSiteLeadership(PeerNode node, ObjectClient client) {
        String site = node.settings().site();
        String me = node.credentials().nodeId().toHex();
        SiteScheduler scheduler = new SiteScheduler(SchedulerConfig.forSite(site), client, node.loop());
        elect(node, client, LeaderElectionConfig.of("scheduler", site, me), scheduler::start, scheduler::stop);
        ControllerManager controllers = new ControllerManager(ControllerConfig.forSite(site), client, node.loop(),
                node.random().derive("controllers"));
        elect(node, client, LeaderElectionConfig.of("controllers", site, me), controllers::start, controllers::stop);
    }

    private static void elect(PeerNode node, ObjectClient client, LeaderElectionConfig cfg, Runnable start, Runnable stop) {
        LeaderElector elector = new LeaderElector(client, node.loop(), cfg, new LeaderCallbacks() {
            @Override
            public void onStartedLeading() {
                LOG.info("leading " + cfg.role() + " of site " + cfg.site());
                start.run();
            }

            @Override
            public void onStoppedLeading() {
                LOG.info("no longer leading " + cfg.role() + " of site " + cfg.site());
                stop.run();
            }
        });
        node.addCloseable(elector);
        elector.start();
    }

    private static NodeAgent startAgent(PeerNode node, ObjectClient client) throws Exception {
        PeerSettings s = node.settings();
        Path agentDir = new DataDir(s.dataDir()).agent();
        ContainerBackend backend;
        if ("containerd".equals(s.runtime())) {
            Path socket;
            if (s.containerdSocket() != null) {
                socket = Path.of(s.containerdSocket());
            } else {
                PrivateContainerd containerd = PrivateContainerd.start(agentDir.resolve("containerd"),
                        TestImage.DEFAULT_BUSYBOX, 30_000);
                node.addCloseable(containerd);
                socket = containerd.socket();
            }
            backend = new ContainerdBackend(socket, 30_000);
        } else {
            backend = new ProcessBackend(agentDir.resolve("process"), node.loop().clock(), 500);
        }
        NodeAgentConfig cfg = NodeAgentConfig.builder(s.nodeName())
                .site(s.site())
                .role(s.superPeer() ? NodeAgentConfig.Role.SUPER : NodeAgentConfig.Role.EDGE)
                .cpuMillis(s.cpuMillis())
                .memoryBytes(s.memoryMiB() * 1024 * 1024)
                .maxPods(s.maxPods())
                .internalIP(s.advertised().host())
                .agentPort(s.agentPort())
                .dataDir(agentDir)
                // gateways check that the agent they reach holds this peer's certificate
                .annotation(StarlingLabels.PEER_ID, node.credentials().nodeId().toHex())
                .build();
        node.addCloseable(backend);
        // mutual TLS: only super-peers (gateways) may read logs or exec here
        NodeAgent agent = new NodeAgent(cfg, client, node.loop(), backend, null, AgentTls.server(node.credentials()));
        node.addCloseable(agent); // closes before the backend
        ImageImportService images = new ImageImportService(backend, agentDir.resolve("image-uploads"), node.loop().clock());
        node.addCloseable(images);
        node.addHandler(AdminMessages.ImageChunk.class, OperatorOnly.guard(node.roles(), images::handle));
        agent.start();
        return agent;
    }
}
