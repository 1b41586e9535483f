package io.starling.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.starling.dht.kube.Resources;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TargetTest {
    private static Optional<Target> parse(String g, String v, String path) {
        return Target.parse(g, v, List.of(path.split("/")));
    }

    @Test
    void urlShapes() {
        assertEquals(new Target(Resources.PODS, "ns", null, null), parse("", "v1", "namespaces/ns/pods").orElseThrow());
        assertEquals(new Target(Resources.PODS, "ns", "p", "log"), parse("", "v1", "namespaces/ns/pods/p/log").orElseThrow());
        assertEquals(new Target(Resources.PODS, null, null, null), parse("", "v1", "pods").orElseThrow());
        assertEquals(new Target(Resources.NAMESPACES, null, "ns", null), parse("", "v1", "namespaces/ns").orElseThrow());
        assertEquals(new Target(Resources.NAMESPACES, null, "ns", "status"), parse("", "v1", "namespaces/ns/status").orElseThrow());
        assertEquals(new Target(Resources.DEPLOYMENTS, "d", "x", "scale"),
                parse("apps", "v1", "namespaces/d/deployments/x/scale").orElseThrow());
        assertTrue(parse("", "v1", "pods/p").isEmpty(), "namespaced objects need a namespace");
        assertTrue(parse("apps", "v2", "namespaces/d/deployments").isEmpty());
        assertTrue(parse("", "v1", "namespaces/ns/pods/p/log/extra").isEmpty());
        assertTrue(parse("", "v1", "widgets").isEmpty());
    }
}
