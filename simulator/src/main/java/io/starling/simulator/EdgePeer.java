package io.starling.simulator;

import io.starling.scheduler.vivaldi.PeerVivaldi;
import io.starling.core.identity.PeerIdentity;
import io.starling.core.net.PeerAddress;
import io.starling.core.random.RandomSource;
import io.starling.core.sim.SimEndpoint;
import io.starling.core.sim.SimEventLoop;
import io.starling.core.sim.SimNetwork;
import io.starling.core.sim.SimTransport;
import io.starling.core.sim.Simulation;
import io.starling.dht.cluster.RemoteClusterStore;
import io.starling.dht.kube.ObjectClient;
import io.starling.runtime.agent.NodeAgent;
import io.starling.runtime.agent.NodeAgentConfig;
import io.starling.runtime.backend.InMemoryBackend;
import java.nio.file.Path;
import java.util.List;

/**
 * One simulated edge peer: a {@link RemoteClusterStore} over its site's super-peers and the
 * production {@link NodeAgent} on the {@link InMemoryBackend}, wired as cli's PeerNode wires an
 * edge peer. Blocking runtime work runs inline on the peer's loop (the in-memory backend never blocks).
 */
final class EdgePeer {
    static final long REQUEST_TIMEOUT_MILLIS = 10_000;
    static final long WATCH_RENEW_MILLIS = 5_000;

    final int index;
    final String site;
    final String nodeName;
    final SimEventLoop loop;
    final SimTransport transport;
    final RemoteClusterStore store;
    final PeerVivaldi coordinates;
    final InMemoryBackend backend;
    final NodeAgent agent;
    boolean up = true;

    EdgePeer(int index, String site, long cpuMillis, long memoryMiB, int pods, List<PeerAddress> superPeers,
             Simulation sim, SimNetwork net, RandomSource random, Path dataDir) throws InterruptedException {
        this.index = index;
        this.site = site;
        this.nodeName = site + "-e" + index;
        RandomSource r = random.derive("edge-" + index);
        PeerIdentity identity = PeerIdentity.deterministic(r.derive("identity"), 0);
        loop = sim.newLoop(nodeName);
        transport = net.attach(new SimEndpoint(identity.nodeId(), new PeerAddress("edge" + index + "." + site, 7000), site), loop);
        coordinates = PeerVivaldi.install(transport, loop, r.derive("vivaldi"));
        store = new RemoteClusterStore(transport, loop, superPeers, REQUEST_TIMEOUT_MILLIS, WATCH_RENEW_MILLIS);
        transport.setHandler(store.inboundHandler());
        ObjectClient client = new ObjectClient(store, loop.clock(), r.derive("objects"));
        backend = new InMemoryBackend(loop.clock());
        NodeAgentConfig cfg = NodeAgentConfig.builder(nodeName)
                .site(site)
                .role(NodeAgentConfig.Role.EDGE)
                .cpuMillis(cpuMillis)
                .memoryBytes(memoryMiB * 1024 * 1024)
                .maxPods(pods)
                .internalIP("10." + ((index >> 16) & 255) + "." + ((index >> 8) & 255) + "." + (index & 255))
                .agentPort(-1)
                .dataDir(dataDir.resolve(nodeName))
                .build();
        agent = new NodeAgent(cfg, client, loop, backend, Runnable::run);
        agent.start();
        coordinates.publishTo(agent::updateCoordinates);
    }

    /** Crash: the network forgets the peer and its loop halts (timers and in-flight work vanish). */
    void crash(SimNetwork net) {
        if (up) {
            up = false;
            net.crash(transport.localAddress());
        }
    }

    /** Graceful leave: the agent stops, then the peer goes offline. */
    void leave(SimNetwork net) {
        if (up) {
            up = false;
            // on the peer's own loop, so close() does not wait for a loop that only this thread drives
            loop.execute(() -> {
                agent.close();
                store.close();
                loop.schedule(100, () -> net.crash(transport.localAddress()));
            });
        }
    }
}
