package io.starling.gateway.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class DefaultsTest {
    private static ObjectNode json(String s) throws Exception {
        return (ObjectNode) new ObjectMapper().readTree(s);
    }

    @Test
    void imagePullPolicyFollowsTheTag() {
        assertTrue(Defaults.pullsAlways("nginx"));
        assertTrue(Defaults.pullsAlways("nginx:latest"));
        assertTrue(Defaults.pullsAlways("registry:5000/team/nginx"), "a registry port is not a tag");
        assertFalse(Defaults.pullsAlways("registry:5000/team/nginx:1.2"));
        assertFalse(Defaults.pullsAlways("nginx@sha256:abc"));
    }

    @Test
    void podDefaultsKeepExplicitValues() throws Exception {
        ObjectNode pod = json("{\"spec\":{\"restartPolicy\":\"Never\",\"containers\":[{\"name\":\"a\",\"image\":\"x:1\","
                + "\"ports\":[{\"containerPort\":80}]}]}}");
        Defaults.apply("v1", "Pod", pod);
        assertEquals("Never", pod.path("spec").path("restartPolicy").asText());
        assertEquals("ClusterFirst", pod.path("spec").path("dnsPolicy").asText());
        assertEquals("default-scheduler", pod.path("spec").path("schedulerName").asText());
        assertEquals("IfNotPresent", pod.path("spec").path("containers").get(0).path("imagePullPolicy").asText());
        assertEquals("File", pod.path("spec").path("containers").get(0).path("terminationMessagePolicy").asText());
        assertEquals("TCP", pod.path("spec").path("containers").get(0).path("ports").get(0).path("protocol").asText());
    }

    @Test
    void deploymentAndServiceAndSecret() throws Exception {
        ObjectNode d = json("{\"spec\":{\"strategy\":{\"type\":\"Recreate\"},\"template\":{\"spec\":{\"containers\":[]}}}}");
        Defaults.apply("apps/v1", "Deployment", d);
        assertEquals(1, d.path("spec").path("replicas").asInt());
        assertFalse(d.path("spec").path("strategy").has("rollingUpdate"), "Recreate has no rolling update parameters");
        ObjectNode svc = json("{\"spec\":{\"ports\":[{\"port\":80}]}}");
        Defaults.apply("v1", "Service", svc);
        assertEquals(80, svc.path("spec").path("ports").get(0).path("targetPort").asInt());
        assertEquals("ClusterIP", svc.path("spec").path("type").asText());
        ObjectNode s = json("{\"stringData\":{\"a\":\"hi\"}}");
        Defaults.apply("v1", "Secret", s);
        assertEquals("aGk=", s.path("data").path("a").asText());
        assertFalse(s.has("stringData"));
    }
}
