package io.starling.gateway.patch;

import static io.starling.gateway.patch.Json.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerSideApplyTest {
    private static final String T1 = "2026-11-27T12:00:00Z";
    private static final String T2 = "2026-11-27T12:05:00Z";

    private static String deployment(String spec) {
        return "{apiVersion:'apps/v1',kind:'Deployment',metadata:{name:'web',namespace:'default'},spec:" + spec + "}";
    }

    private static String template(String containers) {
        return "template:{metadata:{labels:{app:'web'}},spec:{containers:" + containers + "}}";
    }

    private static JsonNode entry(JsonNode object, String manager) {
        for (JsonNode e : object.path("metadata").path("managedFields")) {
            if (e.path("manager").asText().equals(manager)) {
                return e;
            }
        }
        return null;
    }

    private static List<String> managers(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.path("metadata").path("managedFields").forEach(e -> out.add(e.get("manager").asText()));
        return out;
    }

    @Test
    void applyCreatesTheObjectAndRecordsOwnership() {
        JsonNode created = ServerSideApply.apply(null,
                json("{apiVersion:'v1',kind:'ConfigMap',metadata:{name:'cm',labels:{app:'x'}},data:{a:'1'}}"),
                "kubectl", false, T1);
        assertEquals(json("{apiVersion:'v1',kind:'ConfigMap',metadata:{name:'cm',labels:{app:'x'},managedFields:["
                + "{manager:'kubectl',operation:'Apply',apiVersion:'v1',time:'" + T1 + "',fieldsType:'FieldsV1',"
                + "fieldsV1:{'f:data':{'f:a':{}},'f:metadata':{'f:labels':{'f:app':{}}}}}]},data:{a:'1'}}"), created);
    }

    @Test
    void keyedListItemsAreOwnedByKey() {
        JsonNode created = ServerSideApply.apply(null, json(deployment("{replicas:2," + template(
                "[{name:'nginx',image:'nginx:1',ports:[{containerPort:80}]}]") + "}")), "kubectl", false, T1);
        assertEquals(json("{'f:spec':{'f:replicas':{},'f:template':{'f:metadata':{'f:labels':{'f:app':{}}},"
                        + "'f:spec':{'f:containers':{'k:{\"name\":\"nginx\"}':{'.':{},'f:image':{},'f:name':{},"
                        + "'f:ports':{'k:{\"containerPort\":80,\"protocol\":\"TCP\"}':{'.':{},'f:containerPort':{}}}}}}}}}"),
                entry(created, "kubectl").get("fieldsV1"));
    }

    @Test
    void kubectlServerSideApplyOfADeploymentOwnsWhatKubeApiserverRecords() {
        // the body kubectl 1.32 sends for "kubectl apply --server-side -f deployment.yaml"
        JsonNode body = json("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'labels':{'app':'web'},'name':'web',"
                + "'namespace':'default'},'spec':{'replicas':2,'selector':{'matchLabels':{'app':'web'}},'template':{'metadata':"
                + "{'labels':{'app':'web'}},'spec':{'containers':[{'image':'nginx:1.27','name':'nginx','ports':"
                + "[{'containerPort':80}]}]}}}}");
        JsonNode created = ServerSideApply.apply(null, body, "kubectl", false, T1);
        // selector is an atomic struct (LabelSelector): owned whole, as in kube-apiserver's managedFields
        assertEquals(json("{'f:metadata':{'f:labels':{'f:app':{}}},'f:spec':{'f:replicas':{},'f:selector':{},"
                        + "'f:template':{'f:metadata':{'f:labels':{'f:app':{}}},'f:spec':{'f:containers':"
                        + "{'k:{\"name\":\"nginx\"}':{'.':{},'f:image':{},'f:name':{},'f:ports':"
                        + "{'k:{\"containerPort\":80,\"protocol\":\"TCP\"}':{'.':{},'f:containerPort':{}}}}}}}}}"),
                entry(created, "kubectl").get("fieldsV1"));
    }

    @Test
    void atomicSelectorsAreReplacedWhole() {
        JsonNode live = ManagedFields.recordUpdate(null, json("{apiVersion:'v1',kind:'Service',metadata:{name:'s'},"
                + "spec:{selector:{app:'a',tier:'web'}}}"), "kubectl-create", "v1", T1);
        String apply = "{apiVersion:'v1',kind:'Service',metadata:{name:'s'},spec:{selector:{app:'b'}}}";
        PatchException conflict = assertThrows(PatchException.class,
                () -> ServerSideApply.apply(live, json(apply), "kubectl", false, T2));
        assertTrue(conflict.getMessage().endsWith(": .spec.selector"), conflict.getMessage());
        JsonNode forced = ServerSideApply.apply(live, json(apply), "kubectl", true, T2);
        // a merged map would have kept tier (still owned by kubectl-create); an atomic one is replaced
        assertEquals(json("{app:'b'}"), forced.at("/spec/selector"));
        assertEquals(List.of("kubectl"), managers(forced));
    }

    @Test
    void reapplyingWithoutAFieldRemovesIt() {
        JsonNode first = ServerSideApply.apply(null,
                json("{apiVersion:'v1',kind:'ConfigMap',metadata:{name:'cm'},data:{a:'1',b:'2'}}"), "kubectl", false, T1);
        JsonNode second = ServerSideApply.apply(first,
                json("{apiVersion:'v1',kind:'ConfigMap',metadata:{name:'cm'},data:{a:'1'}}"), "kubectl", false, T2);
        assertEquals(json("{a:'1'}"), second.get("data"));
        assertEquals(json("{'f:data':{'f:a':{}}}"), entry(second, "kubectl").get("fieldsV1"));
        assertEquals(T2, entry(second, "kubectl").get("time").asText());
    }

    @Test
    void reapplyingWithoutAContainerRemovesItButKeepsOnesOthersOwn() {
        JsonNode first = ServerSideApply.apply(null, json(deployment("{" + template(
                "[{name:'a',image:'x'},{name:'b',image:'y'}]") + "}")), "team-1", false, T1);
        JsonNode second = ServerSideApply.apply(first, json(deployment("{" + template(
                "[{name:'c',image:'z'}]") + "}")), "team-2", false, T1);
        JsonNode third = ServerSideApply.apply(second, json(deployment("{" + template(
                "[{name:'a',image:'x'}]") + "}")), "team-1", false, T2);
        List<String> names = new ArrayList<>();
        third.at("/spec/template/spec/containers").forEach(c -> names.add(c.get("name").asText()));
        assertEquals(List.of("a", "c"), names);
    }

    @Test
    void fieldsAnotherManagerStillOwnsAreKept() {
        JsonNode first = ServerSideApply.apply(null,
                json("{apiVersion:'v1',kind:'ConfigMap',metadata:{name:'cm'},data:{a:'1',b:'2'}}"), "one", false, T1);
        JsonNode shared = ServerSideApply.apply(first,
                json("{apiVersion:'v1',kind:'ConfigMap',metadata:{name:'cm'},data:{b:'2'}}"), "two", false, T1);
        JsonNode dropped = ServerSideApply.apply(shared,
                json("{apiVersion:'v1',kind:'ConfigMap',metadata:{name:'cm'},data:{a:'1'}}"), "one", false, T2);
        assertEquals(json("{a:'1',b:'2'}"), dropped.get("data"));
    }

    @Test
    void changingAFieldAnotherManagerOwnsIsAConflict() {
        JsonNode created = ManagedFields.recordUpdate(null, json(deployment("{replicas:3}")),
                "kubectl-client-side-apply", "apps/v1", T1);
        ApplyConflictException e = assertThrows(ApplyConflictException.class, () -> ServerSideApply.apply(created,
                json(deployment("{replicas:5}")), "kubectl", false, T2));
        assertEquals(409, e.code());
        assertEquals("Conflict", e.reason());
        assertEquals("Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1 at "
                + T1 + ": .spec.replicas", e.getMessage());
        assertEquals(List.of(new ApplyConflictException.Cause(".spec.replicas",
                "conflict with \"kubectl-client-side-apply\" using apps/v1 at " + T1)), e.causes());
    }

    @Test
    void conflictsWithSeveralManagersAreListed() {
        JsonNode a = ServerSideApply.apply(null, json(deployment("{replicas:1," + template("[{name:'c',image:'v1'}]") + "}")),
                "alice", false, T1);
        PatchException e = assertThrows(PatchException.class, () -> ServerSideApply.apply(a,
                json(deployment("{replicas:2," + template("[{name:'c',image:'v2'}]") + "}")), "bob", false, T2));
        assertEquals(409, e.code());
        assertEquals("Apply failed with 2 conflicts: conflicts with \"alice\":\n"
                + "- .spec.replicas\n- .spec.template.spec.containers[name=\"c\"].image", e.getMessage());
    }

    @Test
    void applyingTheSameValueSharesOwnership() {
        JsonNode created = ManagedFields.recordUpdate(null, json(deployment("{replicas:3}")), "editor", "apps/v1", T1);
        JsonNode applied = ServerSideApply.apply(created, json(deployment("{replicas:3}")), "kubectl", false, T2);
        assertTrue(entry(applied, "editor").at("/fieldsV1/f:spec").has("f:replicas"));
        assertTrue(entry(applied, "kubectl").at("/fieldsV1/f:spec").has("f:replicas"));
    }

    @Test
    void forceTakesOwnership() {
        JsonNode created = ManagedFields.recordUpdate(null, json(deployment("{replicas:3,paused:true}")),
                "kubectl-client-side-apply", "apps/v1", T1);
        JsonNode forced = ServerSideApply.apply(created, json(deployment("{replicas:5}")), "kubectl", true, T2);
        assertEquals(5, forced.at("/spec/replicas").asInt());
        assertTrue(forced.at("/spec/paused").asBoolean());
        assertFalse(entry(forced, "kubectl-client-side-apply").at("/fieldsV1/f:spec").has("f:replicas"));
        assertTrue(entry(forced, "kubectl").at("/fieldsV1/f:spec").has("f:replicas"));
    }

    @Test
    void objectsWithoutManagedFieldsBelongToBeforeFirstApply() {
        JsonNode legacy = json(deployment("{replicas:3}"));
        PatchException e = assertThrows(PatchException.class,
                () -> ServerSideApply.apply(legacy, json(deployment("{replicas:4}")), "kubectl", false, T1));
        assertTrue(e.getMessage().contains("\"before-first-apply\""), e.getMessage());
    }

    @Test
    void serverMetadataAndStatusStayAsTheyAre() {
        JsonNode live = ServerSideApply.apply(null, json(deployment("{replicas:1}")), "kubectl", false, T1);
        ((com.fasterxml.jackson.databind.node.ObjectNode) live.get("metadata")).put("uid", "u-1").put("resourceVersion", "7");
        ((com.fasterxml.jackson.databind.node.ObjectNode) live).putObject("status").put("replicas", 1);
        JsonNode applied = ServerSideApply.apply(live, json("{apiVersion:'apps/v1',kind:'Deployment',metadata:{name:'web',"
                + "namespace:'default',resourceVersion:'3'},spec:{replicas:2},status:{replicas:9}}"), "kubectl", false, T2);
        assertEquals("u-1", applied.at("/metadata/uid").asText());
        assertEquals("7", applied.at("/metadata/resourceVersion").asText());
        assertEquals(1, applied.at("/status/replicas").asInt());
        assertEquals(2, applied.at("/spec/replicas").asInt());
    }

    @Test
    void badApplyRequests() {
        JsonNode cm = json("{apiVersion:'v1',kind:'ConfigMap',metadata:{name:'cm'}}");
        assertEquals(400, assertThrows(PatchException.class, () -> ServerSideApply.apply(null, cm, "", false, T1)).code());
        assertEquals(400, assertThrows(PatchException.class,
                () -> ServerSideApply.apply(null, json("{metadata:{name:'cm'}}"), "m", false, T1)).code());
        assertEquals(400, assertThrows(PatchException.class,
                () -> ServerSideApply.apply(null, json("[1]"), "m", false, T1)).code());
        assertEquals(422, assertThrows(PatchException.class, () -> ServerSideApply.apply(null,
                json(deployment("{" + template("[{image:'x'}]") + "}")), "m", false, T1)).code());
        assertEquals(400, assertThrows(PatchException.class, () -> ServerSideApply.apply(null,
                json("{apiVersion:'v1',kind:'ConfigMap',metadata:{name:'cm',managedFields:[{manager:'x'}]}}"), "m", false, T1)).code());
    }

    @Test
    void updatesMoveOwnershipToTheWriter() {
        JsonNode created = ManagedFields.recordUpdate(null, json(deployment("{replicas:1,paused:false}")),
                "kubectl-create", "apps/v1", T1);
        assertEquals(json("{'f:spec':{'f:paused':{},'f:replicas':{}}}"), entry(created, "kubectl-create").get("fieldsV1"));
        JsonNode scaled = ManagedFields.recordUpdate(created, json(deployment("{replicas:4,paused:false}")),
                "kubectl-scale", "apps/v1", T2);
        assertEquals(json("{'f:spec':{'f:paused':{}}}"), entry(scaled, "kubectl-create").get("fieldsV1"));
        assertEquals(json("{'f:spec':{'f:replicas':{}}}"), entry(scaled, "kubectl-scale").get("fieldsV1"));
        assertEquals(T2, entry(scaled, "kubectl-scale").get("time").asText());
        assertEquals("Update", entry(scaled, "kubectl-scale").get("operation").asText());
        JsonNode unpaused = ManagedFields.recordUpdate(scaled, json(deployment("{replicas:4}")), "editor", "apps/v1", T2);
        assertEquals(List.of("kubectl-scale"), managers(unpaused));
    }

    @Test
    void clientRewrittenManagedFieldsAreKept() {
        JsonNode created = ManagedFields.recordUpdate(null, json(deployment("{replicas:1}")), "kubectl-create", "apps/v1", T1);
        JsonNode rewritten = created.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) rewritten.get("metadata")).putArray("managedFields").addObject()
                .put("manager", "kubectl").put("operation", "Apply").put("apiVersion", "apps/v1")
                .put("fieldsType", "FieldsV1").putObject("fieldsV1").putObject("f:spec").putObject("f:replicas");
        assertEquals(rewritten, ManagedFields.recordUpdate(created, rewritten, "kubectl-patch", "apps/v1", T2));
    }
}
