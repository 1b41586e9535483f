package io.starling.runtime.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The kubelet's documented Service variables, case by case. */
class ServiceEnvTest {
    private static final EnvResolver.NodeFacts NODE = new EnvResolver.NodeFacts("n1", "10.0.0.5", "10.0.0.5", 4000, 8L << 30);

    private static ServicePort port(String name, int port, String protocol) {
        return new ServicePortBuilder().withName(name).withPort(port).withProtocol(protocol).build();
    }

    private static Service svc(String ns, String name, String ip, ServicePort... ports) {
        return new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withClusterIP(ip).withPorts(ports).endSpec().build();
    }

    private static Pod pod(String ns, Boolean links) {
        return new PodBuilder().withNewMetadata().withNamespace(ns).withName("p").endMetadata()
                .withNewSpec().withEnableServiceLinks(links).addNewContainer().withName("c").endContainer().endSpec().build();
    }

    private static final Service MASTER = svc("default", "kubernetes", "127.96.0.1", port("https", 443, "TCP"));
    private static final Service REDIS = svc("shop", "redis-primary", "127.96.4.7", port(null, 6379, null));

    static Stream<Arguments> cases() {
        Map<String, String> redis = new LinkedHashMap<>();
        redis.put("REDIS_PRIMARY_SERVICE_HOST", "127.96.4.7");
        redis.put("REDIS_PRIMARY_SERVICE_PORT", "6379");
        redis.put("REDIS_PRIMARY_PORT", "tcp://127.96.4.7:6379");
        redis.put("REDIS_PRIMARY_PORT_6379_TCP", "tcp://127.96.4.7:6379");
        redis.put("REDIS_PRIMARY_PORT_6379_TCP_PROTO", "tcp");
        redis.put("REDIS_PRIMARY_PORT_6379_TCP_PORT", "6379");
        redis.put("REDIS_PRIMARY_PORT_6379_TCP_ADDR", "127.96.4.7");
        Map<String, String> master = new LinkedHashMap<>();
        master.put("KUBERNETES_SERVICE_HOST", "127.96.0.1");
        master.put("KUBERNETES_SERVICE_PORT", "443");
        master.put("KUBERNETES_SERVICE_PORT_HTTPS", "443");
        master.put("KUBERNETES_PORT", "tcp://127.96.0.1:443");
        master.put("KUBERNETES_PORT_443_TCP", "tcp://127.96.0.1:443");
        master.put("KUBERNETES_PORT_443_TCP_PROTO", "tcp");
        master.put("KUBERNETES_PORT_443_TCP_PORT", "443");
        master.put("KUBERNETES_PORT_443_TCP_ADDR", "127.96.0.1");
        Map<String, String> both = new LinkedHashMap<>(master);
        both.putAll(redis);
        Map<String, String> multi = new LinkedHashMap<>();
        multi.put("WEB_SERVICE_HOST", "127.96.0.9");
        multi.put("WEB_SERVICE_PORT", "80");
        multi.put("WEB_SERVICE_PORT_HTTP", "80");
        multi.put("WEB_SERVICE_PORT_DNS_UDP", "53");
        multi.put("WEB_PORT", "tcp://127.96.0.9:80");
        multi.put("WEB_PORT_80_TCP", "tcp://127.96.0.9:80");
        multi.put("WEB_PORT_80_TCP_PROTO", "tcp");
        multi.put("WEB_PORT_80_TCP_PORT", "80");
        multi.put("WEB_PORT_80_TCP_ADDR", "127.96.0.9");
        multi.put("WEB_PORT_53_UDP", "udp://127.96.0.9:53");
        multi.put("WEB_PORT_53_UDP_PROTO", "udp");
        multi.put("WEB_PORT_53_UDP_PORT", "53");
        multi.put("WEB_PORT_53_UDP_ADDR", "127.96.0.9");
        Service web = svc("shop", "web", "127.96.0.9", port("http", 80, "TCP"), port("dns-udp", 53, "UDP"));
        Service ownKubernetes = svc("shop", "kubernetes", "127.96.9.9");
        return Stream.of(
                Arguments.of("own namespace plus master, names sorted", pod("shop", null), List.of(REDIS, MASTER), both),
                Arguments.of("enableServiceLinks false: only the master", pod("shop", false), List.of(REDIS, MASTER), master),
                Arguments.of("other namespaces' Services are not linked",
                        pod("other", true), List.of(REDIS, MASTER), master),
                Arguments.of("headless and unset ClusterIPs give nothing", pod("shop", null),
                        List.of(svc("shop", "h", "None", port(null, 80, null)), svc("shop", "e", null)), Map.of()),
                Arguments.of("named ports, protocols, the first port is the plain one", pod("shop", false).toBuilder()
                        .editSpec().withEnableServiceLinks(true).endSpec().build(), List.of(web), multi),
                Arguments.of("a Service of the pod's namespace named kubernetes wins over the master", pod("shop", null),
                        List.of(MASTER, ownKubernetes), Map.of("KUBERNETES_SERVICE_HOST", "127.96.9.9")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void variables(String name, Pod pod, List<Service> services, Map<String, String> expected) {
        assertEquals(expected, ServiceEnv.of(pod, services));
    }

    @Test
    void containerEnvOverridesAndMayReferenceServiceVariables() throws Exception {
        Container c = new ContainerBuilder().withName("c")
                .addNewEnv().withName("REDIS_PRIMARY_SERVICE_PORT").withValue("1234").endEnv()
                .addNewEnv().withName("URL").withValue("redis://$(REDIS_PRIMARY_SERVICE_HOST):$(REDIS_PRIMARY_SERVICE_PORT)").endEnv()
                .build();
        Pod p = new PodBuilder().withNewMetadata().withNamespace("shop").withName("p").endMetadata()
                .withNewSpec().withContainers(c).endSpec().build();
        Map<String, String> env = EnvResolver.resolve(p, c, new PodInputs("shop/p", p, Map.of(), Map.of(), List.of(REDIS)), NODE);
        assertEquals("1234", env.get("REDIS_PRIMARY_SERVICE_PORT"));
        assertEquals("redis://127.96.4.7:1234", env.get("URL"));
        assertEquals("tcp://127.96.4.7:6379", env.get("REDIS_PRIMARY_PORT"));
    }
}
