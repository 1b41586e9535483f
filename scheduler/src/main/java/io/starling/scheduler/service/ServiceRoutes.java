package io.starling.scheduler.service;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.starling.dht.kube.StarlingLabels;
import io.starling.scheduler.placement.NodeInfo;
import io.starling.scheduler.vivaldi.Coordinate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The proxy's routing table, derived (purely) from the Services, EndpointSlices and Nodes a node
 * sees: one {@link Route} per listen address of a TCP Service port — {@code clusterIP:port} for
 * every Service with a loopback ClusterIP (see the gateway's service range), and
 * {@code nodeHost:nodePort} for NodePort and LoadBalancer Services — with every endpoint of the
 * Service's slices for that port and its predicted RTT from this node.
 *
 * <p>An address claimed by two Services (two node ports alike, or a ClusterIP both sites handed
 * out while partitioned) goes to the older Service (creationTimestamp, then namespace/name); the
 * other one is listed in {@link Table#warnings()}.
 *
 * <p>Pods share the host network, so a pod listening on {@code 0.0.0.0:P} and a proxy listener on
 * {@code clusterIP:P} would exclude each other (whichever binds second fails). A ClusterIP port
 * that equals one of the Service's own target ports is therefore not bound: on a node running
 * one of its pods the pod's wildcard socket answers on the ClusterIP itself (the nearest endpoint
 * anyway); elsewhere it is not served, and a warning says to use a port other than the target port.
 */
public final class ServiceRoutes {
    private ServiceRoutes() {}

    /** Where the proxy listens. */
    public record Listen(String host, int port) implements Comparable<Listen> {
        private static final Comparator<Listen> ORDER = Comparator.comparing(Listen::host).thenComparingInt(Listen::port);

        @Override
        public int compareTo(Listen o) {
            return ORDER.compare(this, o);
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /** What connections to {@code listen} are sent to. */
    public record Route(String namespace, String service, String portName, Listen listen, List<Endpoint> endpoints) {
        public Route {
            endpoints = List.copyOf(endpoints);
        }
    }

    /** Routes by listen address, plus warnings: addresses claimed twice, ClusterIP ports left to the pods. */
    public record Table(TreeMap<Listen, Route> routes, List<String> warnings) {}

    /**
     * @param localNode this node's name (its own endpoints are 0 ms away)
     * @param localCoordinate this node's Vivaldi coordinate when its Node has none published yet, or null
     * @param nodePortHost address NodePorts listen on
     */
    public static Table build(List<Service> services, List<EndpointSlice> slices, List<Node> nodes,
                              String localNode, Coordinate localCoordinate, String nodePortHost) {
        Map<String, NodeInfo> nodeInfo = new TreeMap<>();
        for (Node n : nodes) {
            nodeInfo.put(n.getMetadata().getName(), NodeInfo.from(n));
        }
        NodeInfo self = nodeInfo.get(localNode);
        Coordinate here = self != null && self.coordinate() != null ? self.coordinate() : localCoordinate;
        Map<String, List<EndpointSlice>> slicesByService = new TreeMap<>();
        for (EndpointSlice s : slices) {
            Map<String, String> labels = s.getMetadata().getLabels();
            String svc = labels == null ? null : labels.get("kubernetes.io/service-name");
            if (svc != null) {
                slicesByService.computeIfAbsent(s.getMetadata().getNamespace() + "/" + svc, k -> new ArrayList<>()).add(s);
            }
        }
        List<Service> sorted = new ArrayList<>(services);
        sorted.sort(Comparator.comparing((Service s) -> Objects.requireNonNullElse(s.getMetadata().getCreationTimestamp(), ""))
                .thenComparing(ServiceRoutes::key));
        TreeMap<Listen, Route> routes = new TreeMap<>();
        List<String> warnings = new ArrayList<>();
        for (Service svc : sorted) {
            if (svc.getSpec() == null || svc.getSpec().getPorts() == null) {
                continue;
            }
            String type = Objects.requireNonNullElse(svc.getSpec().getType(), "ClusterIP");
            String clusterIp = svc.getSpec().getClusterIP();
            boolean nodePorts = "NodePort".equals(type) || "LoadBalancer".equals(type);
            boolean clusterIpServed = !"ExternalName".equals(type) && isLoopback(clusterIp);
            for (ServicePort port : svc.getSpec().getPorts()) {
                boolean tcp = port.getProtocol() == null || port.getProtocol().equals("TCP");
                if (!tcp) {
                    continue;
                }
                List<Endpoint> endpoints = endpoints(slicesByService.getOrDefault(key(svc), List.of()), port.getName(),
                        nodeInfo, localNode, here);
                List<Listen> listens = new ArrayList<>(2);
                if (clusterIpServed && port.getPort() != null) {
                    if (isTargetPort(port, endpoints)) {
                        warnings.add(key(svc) + " port " + port.getPort() + " equals its target port: " + clusterIp + ":"
                                + port.getPort() + " is left to the pods' own sockets (use a different service port)");
                    } else {
                        listens.add(new Listen(clusterIp, port.getPort()));
                    }
                }
                if (nodePorts && port.getNodePort() != null) {
                    listens.add(new Listen(nodePortHost, port.getNodePort()));
                }
                for (Listen l : listens) {
                    Route taken = routes.get(l);
                    if (taken != null) {
                        warnings.add("service address conflict: " + key(svc) + " port " + port.getPort() + ": " + l
                                + " is already served for the older " + taken.namespace() + "/" + taken.service());
                        continue;
                    }
                    routes.put(l, new Route(svc.getMetadata().getNamespace(), svc.getMetadata().getName(),
                            port.getName() == null ? "" : port.getName(), l, endpoints));
                }
            }
        }
        return new Table(routes, List.copyOf(warnings));
    }

    private static List<Endpoint> endpoints(List<EndpointSlice> slices, String portName, Map<String, NodeInfo> nodeInfo,
                                            String localNode, Coordinate here) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (EndpointSlice slice : slices) {
            Integer target = portOf(slice, portName);
            if (target == null || slice.getEndpoints() == null) {
                continue;
            }
            for (var ep : slice.getEndpoints()) {
                if (ep.getAddresses() == null || ep.getAddresses().isEmpty()) {
                    continue;
                }
                boolean ready = ep.getConditions() == null || !Boolean.FALSE.equals(ep.getConditions().getReady());
                String node = ep.getNodeName() == null ? "" : ep.getNodeName();
                NodeInfo info = nodeInfo.get(node);
                endpoints.add(new Endpoint(ep.getAddresses().get(0), target, node,
                        info == null ? "" : info.site(), ready, predictedRtt(node, info, localNode, here)));
            }
        }
        return endpoints;
    }

    private static boolean isTargetPort(ServicePort port, List<Endpoint> endpoints) {
        var target = port.getTargetPort();
        if (target == null || target.getIntVal() != null && target.getIntVal().equals(port.getPort())) {
            return true; // an unset targetPort defaults to the port
        }
        for (Endpoint e : endpoints) {
            if (e.port() == port.getPort()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Only loopback ClusterIPs are served: pods share the host network and traffic may not leave
     * it, so the proxy binds ClusterIPs on {@code lo} (127.0.0.0/8 needs no interface change).
     */
    static boolean isLoopback(String ip) {
        return ip != null && ip.startsWith("127.") && ip.chars().filter(ch -> ch == '.').count() == 3;
    }

    /** This node's site from its Node's label ("" when unknown). */
    public static String siteOf(List<Node> nodes, String localNode) {
        for (Node n : nodes) {
            if (n.getMetadata().getName().equals(localNode) && n.getMetadata().getLabels() != null) {
                return n.getMetadata().getLabels().getOrDefault(StarlingLabels.SITE, "");
            }
        }
        return "";
    }

    private static double predictedRtt(String node, NodeInfo info, String localNode, Coordinate local) {
        if (node.equals(localNode)) {
            return 0;
        }
        if (info == null || info.coordinate() == null || local == null) {
            return Double.POSITIVE_INFINITY;
        }
        return local.distanceTo(info.coordinate());
    }

    /** The slice's port number for the Service port named {@code name} (unnamed ports match ""). */
    private static Integer portOf(EndpointSlice slice, String name) {
        if (slice.getPorts() == null) {
            return null;
        }
        String wanted = name == null ? "" : name;
        for (EndpointPort p : slice.getPorts()) {
            String have = p.getName() == null ? "" : p.getName();
            if (have.equals(wanted) && p.getPort() != null) {
                return p.getPort();
            }
        }
        return null;
    }

    private static String key(Service s) {
        return Objects.requireNonNullElse(s.getMetadata().getNamespace(), "") + "/" + s.getMetadata().getName();
    }
}
