package io.starling.cli.peer;

import io.starling.core.net.PeerAddress;
import io.starling.gateway.ipam.ServiceCidr;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything a peer process is started with.
 *
 * @param site the peer's site
 * @param superPeer whether it is a super-peer (DHT member, API server, site scheduler)
 * @param listen where the peer transport listens
 * @param advertised the address other peers use (usually equal to listen)
 * @param dataDir credentials, records and pod state
 * @param bootstrap peers to contact first (empty for the first super-peer)
 * @param apiListen where the Kubernetes API listens (super-peers), null for none
 * @param runtime "process", "containerd" or "none" (no node agent)
 * @param agentPort port of the node agent's kubelet-style HTTP API (0 = ephemeral)
 * @param nodeName name of the Node this peer registers
 * @param cpuMillis allocatable CPU in millicores
 * @param memoryMiB allocatable memory in MiB
 * @param maxPods allocatable pods
 * @param containerdSocket CRI socket when runtime = containerd (null = start a private containerd)
 * @param injectWanDelayMillis TEST-ONLY: extra RTT to peers of other sites (0 = none; see InjectedWanDelay)
 * @param serviceCidr range the API server allocates ClusterIPs from (super-peers; a loopback block by
 *     default, see the gateway's ServiceCidr); every super-peer of a cluster must use the same
 */
public record PeerSettings(String site, boolean superPeer, PeerAddress listen, PeerAddress advertised, Path dataDir,
                           List<PeerAddress> bootstrap, PeerAddress apiListen, String runtime, int agentPort,
                           String nodeName, long cpuMillis, long memoryMiB, int maxPods, String containerdSocket,
                           long injectWanDelayMillis, String serviceCidr) {
    public PeerSettings {
        serviceCidr = serviceCidr == null ? ServiceCidr.DEFAULT : serviceCidr;
        if (site == null || !site.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            throw new IllegalArgumentException("site must be a DNS label (lowercase letters, digits, '-'), got '" + site + "'");
        }
        bootstrap = List.copyOf(bootstrap);
    }

    /** Settings with the default service range. */
    public PeerSettings(String site, boolean superPeer, PeerAddress listen, PeerAddress advertised, Path dataDir,
                        List<PeerAddress> bootstrap, PeerAddress apiListen, String runtime, int agentPort,
                        String nodeName, long cpuMillis, long memoryMiB, int maxPods, String containerdSocket,
                        long injectWanDelayMillis) {
        this(site, superPeer, listen, advertised, dataDir, bootstrap, apiListen, runtime, agentPort, nodeName, cpuMillis,
                memoryMiB, maxPods, containerdSocket, injectWanDelayMillis, ServiceCidr.DEFAULT);
    }

    /** Settings without injected WAN delay (production). */
    public PeerSettings(String site, boolean superPeer, PeerAddress listen, PeerAddress advertised, Path dataDir,
                        List<PeerAddress> bootstrap, PeerAddress apiListen, String runtime, int agentPort,
                        String nodeName, long cpuMillis, long memoryMiB, int maxPods, String containerdSocket) {
        this(site, superPeer, listen, advertised, dataDir, bootstrap, apiListen, runtime, agentPort, nodeName, cpuMillis,
                memoryMiB, maxPods, containerdSocket, 0);
    }
}
