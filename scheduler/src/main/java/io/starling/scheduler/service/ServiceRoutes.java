package io.starling.scheduler.service;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.starling.dht.kube.StarlingLabels;
import io.starling.scheduler.placement.NodeInfo;
import io.starling.scheduler.vivaldi.Coordinate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The proxy's routing table, derived (purely) from the Services, EndpointSlices and Nodes a node
 * sees: one {@link Route} per TCP port of a NodePort or LoadBalancer Service, with every endpoint
 * of the Service's slices for that port and its predicted RTT from this node.
 */
public final class ServiceRoutes {
    private ServiceRoutes() {}

    /** What connections to {@code nodePort} are sent to. */
    public record Route(String namespace, String service, String portName, int nodePort, List<Endpoint> endpoints) {
        public Route {
            endpoints = List.copyOf(endpoints);
        }
    }

    /**
     * @param localNode this node's name (its own endpoints are 0 ms away)
     * @param localCoordinate this node's Vivaldi coordinate, or null when unknown
     * @return routes by node port; a port claimed twice goes to the Service first by namespace/name
     */
    public static TreeMap<Integer, Route> build(List<Service> services, List<EndpointSlice> slices, List<Node> nodes,
                                                String localNode, Coordinate localCoordinate) {
        Map<String, NodeInfo> nodeInfo = new TreeMap<>();
        for (Node n : nodes) {
            nodeInfo.put(n.getMetadata().getName(), NodeInfo.from(n));
        }
        Map<String, List<EndpointSlice>> slicesByService = new TreeMap<>();
        for (EndpointSlice s : slices) {
            Map<String, String> labels = s.getMetadata().getLabels();
            String svc = labels == null ? null : labels.get("kubernetes.io/service-name");
            if (svc != null) {
                slicesByService.computeIfAbsent(s.getMetadata().getNamespace() + "/" + svc, k -> new ArrayList<>()).add(s);
            }
        }
        List<Service> sorted = new ArrayList<>(services);
        sorted.sort((a, b) -> key(a).compareTo(key(b)));
        TreeMap<Integer, Route> routes = new TreeMap<>();
        for (Service svc : sorted) {
            String type = svc.getSpec() == null ? null : svc.getSpec().getType();
            if (!"NodePort".equals(type) && !"LoadBalancer".equals(type) || svc.getSpec().getPorts() == null) {
                continue;
            }
            for (ServicePort port : svc.getSpec().getPorts()) {
                Integer nodePort = port.getNodePort();
                boolean tcp = port.getProtocol() == null || port.getProtocol().equals("TCP");
                if (nodePort == null || !tcp || routes.containsKey(nodePort)) {
                    continue;
                }
                List<Endpoint> endpoints = new ArrayList<>();
                for (EndpointSlice slice : slicesByService.getOrDefault(key(svc), List.of())) {
                    Integer target = portOf(slice, port.getName());
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
                                info == null ? "" : info.site(), ready, predictedRtt(node, info, localNode, localCoordinate)));
                    }
                }
                routes.put(nodePort, new Route(svc.getMetadata().getNamespace(), svc.getMetadata().getName(),
                        port.getName() == null ? "" : port.getName(), nodePort, endpoints));
            }
        }
        return routes;
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
