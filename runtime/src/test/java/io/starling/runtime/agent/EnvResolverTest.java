package io.starling.runtime.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvResolverTest {
    private static final EnvResolver.NodeFacts NODE = new EnvResolver.NodeFacts("n1", "10.0.0.5", "10.0.0.5", 4000, 8L << 30);

    private static Pod pod(Container c) {
        return new PodBuilder().withNewMetadata().withNamespace("ns").withName("web-1").withUid("u-1")
                .addToLabels("app", "web").endMetadata().withNewSpec().withContainers(c).endSpec().build();
    }

    private static PodInputs inputs(Pod p) {
        return new PodInputs("ns/web-1", p,
                Map.of("cfg", new ConfigMapBuilder().withNewMetadata().withName("cfg").endMetadata()
                        .withData(Map.of("A", "1", "B", "2")).build()),
                Map.of("sec", new SecretBuilder().withNewMetadata().withName("sec").endMetadata()
                        .withData(Map.of("pw", Base64.getEncoder().encodeToString("hunter2".getBytes()))).build()));
    }

    @Test
    void envFromThenEnvWithExpansionInOrder() throws Exception {
        Container c = new ContainerBuilder().withName("c")
                .addNewEnvFrom().withPrefix("CFG_").withNewConfigMapRef("cfg", false).endEnvFrom()
                .addNewEnv().withName("HOST").withValue("x").endEnv()
                .addNewEnv().withName("URL").withValue("http://$(HOST):$(CFG_A)/$(MISSING)/$$(HOST)").endEnv()
                .addNewEnv().withName("PW").withNewValueFrom().withNewSecretKeyRef("pw", "sec", false).endValueFrom().endEnv()
                .build();
        Pod p = pod(c);
        Map<String, String> env = EnvResolver.resolve(p, c, inputs(p), NODE);
        assertEquals(List.of("CFG_A", "CFG_B", "HOST", "URL", "PW"), List.copyOf(env.keySet()));
        assertEquals("http://x:1/$(MISSING)/$(HOST)", env.get("URL"));
        assertEquals("hunter2", env.get("PW"));
    }

    @Test
    void fieldAndResourceRefs() throws Exception {
        Container c = new ContainerBuilder().withName("c")
                .withNewResources().addToLimits("cpu", new Quantity("500m")).addToLimits("memory", new Quantity("64Mi")).endResources()
                .addNewEnv().withName("APP").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.labels['app']").endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP").endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("UID").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.uid").endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("CPU_M").withNewValueFrom().withNewResourceFieldRef().withResource("limits.cpu")
                        .withDivisor(new Quantity("1m")).endResourceFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("CPU").withNewValueFrom().withNewResourceFieldRef().withResource("limits.cpu").endResourceFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("MEM_MI").withNewValueFrom().withNewResourceFieldRef().withResource("limits.memory")
                        .withDivisor(new Quantity("1Mi")).endResourceFieldRef().endValueFrom().endEnv()
                .build();
        Pod p = pod(c);
        Map<String, String> env = EnvResolver.resolve(p, c, inputs(p), NODE);
        assertEquals("web", env.get("APP"));
        assertEquals("10.0.0.5", env.get("IP"));
        assertEquals("u-1", env.get("UID"));
        assertEquals("500", env.get("CPU_M"));
        assertEquals("1", env.get("CPU"), "rounded up like the kubelet");
        assertEquals("64", env.get("MEM_MI"));
    }

    @Test
    void missingReferencesFailUnlessOptional() throws Exception {
        Container missing = new ContainerBuilder().withName("c")
                .addNewEnv().withName("X").withNewValueFrom().withNewConfigMapKeyRef("k", "nope", false).endValueFrom().endEnv().build();
        Pod p = pod(missing);
        ConfigException e = assertThrows(ConfigException.class, () -> EnvResolver.resolve(p, missing, inputs(p), NODE));
        assertTrue(e.getMessage().contains("configmap \"nope\" not found"), e.getMessage());

        Container missingKey = new ContainerBuilder().withName("c")
                .addNewEnv().withName("X").withNewValueFrom().withNewConfigMapKeyRef("Z", "cfg", false).endValueFrom().endEnv().build();
        Pod p2 = pod(missingKey);
        assertThrows(ConfigException.class, () -> EnvResolver.resolve(p2, missingKey, inputs(p2), NODE));

        Container optional = new ContainerBuilder().withName("c")
                .addNewEnv().withName("X").withNewValueFrom().withNewConfigMapKeyRef("k", "nope", true).endValueFrom().endEnv().build();
        Pod p3 = pod(optional);
        assertTrue(EnvResolver.resolve(p3, optional, inputs(p3), NODE).isEmpty());
    }
}
