package io.starling.runtime.agent;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Service environment variables the kubelet documents (Kubernetes "Discovering services:
 * environment variables"): for each Service with a ClusterIP, {@code NAME_SERVICE_HOST},
 * {@code NAME_SERVICE_PORT} (first port), {@code NAME_SERVICE_PORT_PORTNAME} (named ports) and the
 * Docker-link style {@code NAME_PORT=tcp://ip:port} (first port), {@code NAME_PORT_P_TCP},
 * {@code _PROTO}, {@code _PORT}, {@code _ADDR}; NAME is the Service name upper-cased with '-' as '_'.
 *
 * <p>Which Services: those of the pod's namespace when {@code spec.enableServiceLinks} is not
 * false, plus always the master Service {@code default/kubernetes} (a Service of the pod's own
 * namespace with the same name wins). Headless ({@code None}) and unset ClusterIPs give nothing.
 * Services are visited by name so the order is stable. Pure.
 */
final class ServiceEnv {
    static final String MASTER_NAMESPACE = "default";
    static final String MASTER_SERVICE = "kubernetes";

    private ServiceEnv() {}

    static LinkedHashMap<String, String> of(Pod pod, List<Service> services) {
        String ns = pod.getMetadata().getNamespace() == null ? "default" : pod.getMetadata().getNamespace();
        boolean links = pod.getSpec() == null || !Boolean.FALSE.equals(pod.getSpec().getEnableServiceLinks());
        Map<String, Service> chosen = new TreeMap<>();
        for (Service s : services) {
            String sns = s.getMetadata().getNamespace();
            String name = s.getMetadata().getName();
            if (!hasClusterIp(s)) {
                continue;
            }
            if (links && ns.equals(sns)) {
                chosen.put(name, s);
            } else if (MASTER_NAMESPACE.equals(sns) && MASTER_SERVICE.equals(name)) {
                chosen.putIfAbsent(name, s);
            }
        }
        LinkedHashMap<String, String> env = new LinkedHashMap<>();
        for (Service s : chosen.values()) {
            add(env, s);
        }
        return env;
    }

    private static boolean hasClusterIp(Service s) {
        String ip = s.getSpec() == null ? null : s.getSpec().getClusterIP();
        return ip != null && !ip.isEmpty() && !"None".equals(ip);
    }

    private static void add(Map<String, String> env, Service s) {
        String prefix = envName(s.getMetadata().getName());
        String ip = s.getSpec().getClusterIP();
        List<ServicePort> ports = s.getSpec().getPorts() == null ? List.of() : s.getSpec().getPorts();
        env.put(prefix + "_SERVICE_HOST", ip);
        if (ports.isEmpty()) {
            return;
        }
        env.put(prefix + "_SERVICE_PORT", Integer.toString(ports.get(0).getPort()));
        for (ServicePort p : ports) {
            if (p.getName() != null && !p.getName().isEmpty()) {
                env.put(prefix + "_SERVICE_PORT_" + envName(p.getName()), Integer.toString(p.getPort()));
            }
        }
        List<String[]> link = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) {
            ServicePort p = ports.get(i);
            String proto = p.getProtocol() == null || p.getProtocol().isEmpty() ? "TCP" : p.getProtocol();
            String lower = proto.toLowerCase(Locale.ROOT);
            String url = lower + "://" + ip + ":" + p.getPort();
            if (i == 0) {
                link.add(new String[] {prefix + "_PORT", url});
            }
            String pp = prefix + "_PORT_" + p.getPort() + "_" + proto.toUpperCase(Locale.ROOT);
            link.add(new String[] {pp, url});
            link.add(new String[] {pp + "_PROTO", lower});
            link.add(new String[] {pp + "_PORT", Integer.toString(p.getPort())});
            link.add(new String[] {pp + "_ADDR", ip});
        }
        for (String[] kv : link) {
            env.put(kv[0], kv[1]);
        }
    }

    static String envName(String name) {
        return name.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
