package io.starling.scheduler.controller.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointHints;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.ForZone;
import io.starling.dht.kube.KubeJson;
import io.starling.dht.kube.Resources;
import io.starling.dht.kube.StarlingLabels;
import io.starling.scheduler.controller.ControllerContext;
import io.starling.scheduler.controller.KeyedController;
import io.starling.scheduler.controller.Keys;
import io.starling.scheduler.controller.OwnerRefs;
import io.starling.scheduler.controller.Pods;
import io.starling.scheduler.controller.Selectors;
import io.starling.scheduler.queue.InformerHandler;
import io.starling.scheduler.queue.ReconcileResult;
import io.starling.scheduler.queue.SharedInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * For every Service with a selector, one EndpointSlice named after the Service (label
 * {@code kubernetes.io/service-name}, addressType IPv4, owned by the Service) and a core/v1
 * Endpoints object of the same name for older clients. Each pod with an IP that matches the
 * selector and is not being deleted becomes an endpoint with conditions ready/serving/terminating,
 * nodeName, zone = the site of its node (the node's {@code starling.io/site} label) and a hint for
 * that zone, which the service proxy uses to prefer nearby endpoints. Named target ports are
 * resolved per pod; a pod that lacks a named port is left out. Endpoints are sorted by pod name.
 */
public final class EndpointsController extends KeyedController {
    public static final String SERVICE_NAME = "kubernetes.io/service-name";
    public static final String MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
    public static final String MANAGER = "endpointslice-controller.starling.io";

    private final SharedInformer<Service> services;
    private final SharedInformer<Pod> pods;
    private final SharedInformer<Node> nodes;

    public EndpointsController(ControllerContext ctx) {
        super("endpoints", ctx);
        this.services = ctx.informers().of(Service.class);
        this.pods = ctx.informers().of(Pod.class);
        this.nodes = ctx.informers().of(Node.class);
    }

    @Override
    protected void register() {
        services.addHandler(InformerHandler.any(s -> enqueue(Keys.of(s))));
        pods.addHandler(InformerHandler.any(p -> {
            for (Service s : services.list(p.getMetadata().getNamespace())) {
                if (s.getSpec() != null && Selectors.matches(s.getSpec().getSelector(), p.getMetadata().getLabels())) {
                    enqueue(Keys.of(s));
                }
            }
        }));
        nodes.addHandler(new InformerHandler<>() {
            @Override
            public void onUpdate(Node old, Node node) {
                if (!java.util.Objects.equals(site(old), site(node))) {
                    services.list().forEach(s -> enqueue(Keys.of(s)));
                }
            }
        });
    }

    private static String site(Node n) {
        return n == null || n.getMetadata().getLabels() == null ? null : n.getMetadata().getLabels().get(StarlingLabels.SITE);
    }

    @Override
    protected CompletableFuture<ReconcileResult> reconcile(String key) {
        String ns = Keys.namespace(key);
        String name = Keys.name(key);
        Service svc = services.get(ns, name);
        if (svc == null) {
            // the slice is owned by the Service (garbage collector); Endpoints are not, remove them here
            return ctx.client().delete(Resources.ENDPOINTS, ns, name).handle((v, e) -> ReconcileResult.DONE);
        }
        if (!ctx.home().isMine(svc) || svc.getSpec() == null || svc.getSpec().getSelector() == null
                || svc.getSpec().getSelector().isEmpty()) {
            return done();
        }
        List<Pod> selected = new ArrayList<>();
        for (Pod p : pods.list(ns)) {
            if (Selectors.matches(svc.getSpec().getSelector(), p.getMetadata().getLabels()) && p.getStatus() != null
                    && p.getStatus().getPodIP() != null && !p.getStatus().getPodIP().isEmpty() && !Pods.isTerminating(p)) {
                selected.add(p);
            }
        }
        EndpointSlice slice = buildSlice(svc, selected);
        Endpoints endpoints = buildEndpoints(svc, selected);
        CompletableFuture<Boolean> a = apply(EndpointSlice.class, slice, s -> KubeJson.MAPPER.valueToTree(List.of(
                s.getEndpoints() == null ? List.of() : s.getEndpoints(), s.getPorts() == null ? List.of() : s.getPorts(),
                s.getMetadata().getLabels() == null ? Map.of() : s.getMetadata().getLabels())), (cur, want) -> {
            cur.setEndpoints(want.getEndpoints());
            cur.setPorts(want.getPorts());
            cur.setAddressType(want.getAddressType());
            cur.getMetadata().setLabels(want.getMetadata().getLabels());
        });
        CompletableFuture<Boolean> b = apply(Endpoints.class, endpoints,
                e -> KubeJson.MAPPER.valueToTree(e.getSubsets() == null ? List.of() : e.getSubsets()),
                (cur, want) -> cur.setSubsets(want.getSubsets()));
        return a.thenCombine(b, (x, y) -> x && y ? ReconcileResult.DONE : ReconcileResult.RETRY);
    }

    /** Creates {@code want} or updates the existing object when the compared part differs. */
    private <T extends HasMetadata> CompletableFuture<Boolean> apply(Class<T> type, T want, Function<T, JsonNode> compared,
                                                                   java.util.function.BiConsumer<T, T> merge) {
        String ns = want.getMetadata().getNamespace();
        return ctx.client().get(type, ns, want.getMetadata().getName()).thenCompose(found -> {
            if (found.isEmpty()) {
                return ctx.client().create(want).handle((v, e) -> e == null); // a lost create race retries as an update
            }
            T cur = found.get();
            if (compared.apply(cur).equals(compared.apply(want))) {
                return CompletableFuture.completedFuture(true);
            }
            T next = KubeJson.copy(cur, type);
            merge.accept(next, want);
            return ctx.client().update(next).handle((v, e) -> e == null);
        });
    }

    private EndpointSlice buildSlice(Service svc, List<Pod> selected) {
        EndpointSlice slice = new EndpointSlice();
        ObjectMeta meta = new ObjectMeta();
        meta.setName(svc.getMetadata().getName());
        meta.setNamespace(svc.getMetadata().getNamespace());
        Map<String, String> labels = new TreeMap<>();
        labels.put(SERVICE_NAME, svc.getMetadata().getName());
        labels.put(MANAGED_BY, MANAGER);
        meta.setLabels(labels);
        Map<String, String> svcAnn = svc.getMetadata().getAnnotations();
        if (svcAnn != null && svcAnn.containsKey(StarlingLabels.HOME_SITE)) {
            meta.setAnnotations(new TreeMap<>(Map.of(StarlingLabels.HOME_SITE, svcAnn.get(StarlingLabels.HOME_SITE))));
        }
        meta.setOwnerReferences(List.of(OwnerRefs.controllerRef(svc, "v1", "Service")));
        slice.setMetadata(meta);
        slice.setKind("EndpointSlice");
        slice.setAddressType("IPv4");
        List<Endpoint> eps = new ArrayList<>();
        List<io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort> ports = null;
        for (Pod p : selected) {
            List<io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort> podPorts = slicePorts(svc, p);
            if (podPorts == null) {
                continue;
            }
            if (ports == null) {
                ports = podPorts;
            }
            Endpoint ep = new Endpoint();
            ep.setAddresses(List.of(p.getStatus().getPodIP()));
            EndpointConditions c = new EndpointConditions();
            boolean ready = Pods.isReady(p);
            c.setReady(ready);
            c.setServing(ready);
            c.setTerminating(false);
            ep.setConditions(c);
            ep.setNodeName(p.getSpec() == null ? null : p.getSpec().getNodeName());
            String zone = ep.getNodeName() == null ? null : site(nodes.get("", ep.getNodeName()));
            if (zone != null) {
                ep.setZone(zone);
                EndpointHints hints = new EndpointHints();
                hints.setForZones(List.of(new ForZone(zone)));
                ep.setHints(hints);
            }
            ep.setTargetRef(podRef(p));
            eps.add(ep);
        }
        slice.setEndpoints(eps);
        slice.setPorts(ports == null ? List.of() : ports);
        return slice;
    }

    private Endpoints buildEndpoints(Service svc, List<Pod> selected) {
        Endpoints e = new Endpoints();
        ObjectMeta meta = new ObjectMeta();
        meta.setName(svc.getMetadata().getName());
        meta.setNamespace(svc.getMetadata().getNamespace());
        meta.setLabels(svc.getMetadata().getLabels() == null ? null : new TreeMap<>(svc.getMetadata().getLabels()));
        e.setMetadata(meta);
        e.setKind("Endpoints");
        // one subset per distinct resolved port list, in pod-name order
        Map<String, EndpointSubset> subsets = new java.util.LinkedHashMap<>();
        for (Pod p : selected) {
            List<EndpointPort> ports = endpointPorts(svc, p);
            if (ports == null) {
                continue;
            }
            String k = KubeJson.MAPPER.valueToTree(ports).toString();
            EndpointSubset s = subsets.computeIfAbsent(k, x -> {
                EndpointSubset n = new EndpointSubset();
                n.setPorts(ports);
                n.setAddresses(new ArrayList<>());
                n.setNotReadyAddresses(new ArrayList<>());
                return n;
            });
            EndpointAddress a = new EndpointAddress();
            a.setIp(p.getStatus().getPodIP());
            a.setNodeName(p.getSpec() == null ? null : p.getSpec().getNodeName());
            a.setTargetRef(podRef(p));
            (Pods.isReady(p) ? s.getAddresses() : s.getNotReadyAddresses()).add(a);
        }
        List<EndpointSubset> list = new ArrayList<>();
        for (EndpointSubset s : subsets.values()) {
            if (s.getAddresses().isEmpty()) {
                s.setAddresses(null);
            }
            if (s.getNotReadyAddresses().isEmpty()) {
                s.setNotReadyAddresses(null);
            }
            list.add(s);
        }
        e.setSubsets(list.isEmpty() ? null : list);
        return e;
    }

    private static ObjectReference podRef(Pod p) {
        ObjectReference ref = new ObjectReference();
        ref.setKind("Pod");
        ref.setNamespace(p.getMetadata().getNamespace());
        ref.setName(p.getMetadata().getName());
        ref.setUid(p.getMetadata().getUid());
        return ref;
    }

    private static List<io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort> slicePorts(Service svc, Pod p) {
        List<EndpointPort> resolved = endpointPorts(svc, p);
        if (resolved == null) {
            return null;
        }
        List<io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort> out = new ArrayList<>();
        for (EndpointPort r : resolved) {
            io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort ep = new io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort();
            ep.setName(r.getName());
            ep.setPort(r.getPort());
            ep.setProtocol(r.getProtocol());
            out.add(ep);
        }
        return out;
    }

    /** The service's ports resolved against one pod; null if a named target port is missing. */
    private static List<EndpointPort> endpointPorts(Service svc, Pod p) {
        List<EndpointPort> out = new ArrayList<>();
        List<ServicePort> sps = svc.getSpec().getPorts() == null ? List.of() : svc.getSpec().getPorts();
        for (ServicePort sp : sps) {
            Integer port = resolve(sp, p);
            if (port == null) {
                return null;
            }
            EndpointPort ep = new EndpointPort();
            ep.setName(sp.getName() == null || sp.getName().isEmpty() ? null : sp.getName());
            ep.setPort(port);
            ep.setProtocol(sp.getProtocol() == null ? "TCP" : sp.getProtocol());
            out.add(ep);
        }
        return out;
    }

    private static Integer resolve(ServicePort sp, Pod p) {
        IntOrString target = sp.getTargetPort();
        if (target == null) {
            return sp.getPort();
        }
        if (target.getIntVal() != null) {
            return target.getIntVal();
        }
        String name = target.getStrVal();
        if (name != null && name.chars().allMatch(Character::isDigit) && !name.isEmpty()) {
            return Integer.parseInt(name);
        }
        if (p.getSpec() == null || p.getSpec().getContainers() == null) {
            return null;
        }
        for (var c : p.getSpec().getContainers()) {
            if (c.getPorts() != null) {
                for (ContainerPort cp : c.getPorts()) {
                    if (name != null && name.equals(cp.getName())) {
                        return cp.getContainerPort();
                    }
                }
            }
        }
        return null;
    }
}
