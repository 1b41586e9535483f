package io.starling.gateway.patch;

import static io.starling.gateway.patch.Json.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PatchSchemaTest {

    @ParameterizedTest
    @CsvSource({"v1,Pod", "v1,Service", "v1,ConfigMap", "v1,Secret", "v1,Namespace", "v1,Node", "v1,Event",
            "v1,ServiceAccount", "apps/v1,Deployment", "apps/v1,ReplicaSet", "apps/v1,DaemonSet", "apps/v1,StatefulSet"})
    void builtInKindsHaveMergeKeys(String apiVersion, String kind) {
        assertTrue(StrategicMergePatch.supports(apiVersion, kind));
    }

    @Test
    void customResourcesDoNot() {
        assertFalse(StrategicMergePatch.supports("example.com/v1", "Widget"));
    }

    @ParameterizedTest
    @CsvSource({"Deployment", "ReplicaSet", "DaemonSet", "StatefulSet"})
    void podTemplatesOfEveryWorkloadMergeContainersByName(String kind) {
        PatchSchema podSpec = PatchSchema.forKind("apps/v1", kind).field("spec").field("template").field("spec");
        assertEquals("PodSpec", podSpec.typeName());
        assertEquals("name", podSpec.listStrategy("containers").mergeKey());
        assertFalse(podSpec.listStrategy("tolerations").merge());
        PatchSchema container = podSpec.field("containers").element();
        assertEquals("containerPort", container.listStrategy("ports").mergeKey());
        assertEquals("mountPath", container.listStrategy("volumeMounts").mergeKey());
        assertEquals("devicePath", container.listStrategy("volumeDevices").mergeKey());
        assertEquals("name", container.listStrategy("env").mergeKey());
        assertFalse(container.listStrategy("args").merge());
    }

    @Test
    void metadataListsOfEveryKind() {
        PatchSchema meta = PatchSchema.forKind("v1", "Secret").field("metadata");
        assertEquals(ListStrategy.SET, meta.listStrategy("finalizers"));
        assertEquals("uid", meta.listStrategy("ownerReferences").mergeKey());
        assertFalse(meta.listStrategy("managedFields").merge());
    }

    @Test
    void ephemeralContainersAndStatusLists() {
        PatchSchema pod = PatchSchema.forKind("v1", "Pod");
        assertEquals("name", pod.field("spec").field("ephemeralContainers").element().listStrategy("env").mergeKey());
        assertEquals("type", pod.field("status").listStrategy("conditions").mergeKey());
        assertEquals("ip", pod.field("status").listStrategy("podIPs").mergeKey());
        assertEquals("type", PatchSchema.forKind("v1", "Node").field("status").listStrategy("addresses").mergeKey());
        assertEquals("port", PatchSchema.forKind("v1", "Service").field("spec").listStrategy("ports").mergeKey());
    }

    @Test
    void daemonSetContainersMergeThroughThePatch() {
        JsonNode out = StrategicMergePatch.apply(
                json("{spec:{template:{spec:{containers:[{name:'agent',image:'a:1'}]}}}}"),
                json("{spec:{template:{spec:{containers:[{name:'sidecar',image:'s:1'}]}}}}"), "apps/v1", "DaemonSet");
        assertEquals(2, out.at("/spec/template/spec/containers").size());
    }

    @Test
    void absurdlyDeepPatchesAreRejectedNotOverflowed() {
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        ObjectNode cursor = patch;
        for (int i = 0; i < 100_000; i++) {
            cursor = cursor.putObject("a");
        }
        PatchException e = assertThrows(PatchException.class,
                () -> StrategicMergePatch.apply(JsonNodeFactory.instance.objectNode(), patch, "v1", "ConfigMap"));
        assertEquals(400, e.code());
        assertEquals(400, assertThrows(PatchException.class, () -> ServerSideApply.apply(null,
                JsonNodeFactory.instance.objectNode().put("apiVersion", "v1").put("kind", "ConfigMap").set("data", patch),
                "m", false, "2026-01-01T00:00:00Z")).code());
    }
}
