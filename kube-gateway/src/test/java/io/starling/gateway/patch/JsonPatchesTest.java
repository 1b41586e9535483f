package io.starling.gateway.patch;

import static io.starling.gateway.patch.Json.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

class JsonPatchesTest {
    private static final JsonNode DEPLOYMENT = json("{metadata:{name:'d',labels:{app:'x'}},spec:{replicas:1}}");

    @Test
    void jsonPatchReplacesAddsAndRemoves() {
        JsonNode out = JsonPatches.applyJsonPatch(DEPLOYMENT, json("[{op:'replace',path:'/spec/replicas',value:3},"
                + "{op:'add',path:'/metadata/labels/tier',value:'web'},{op:'remove',path:'/metadata/labels/app'}]"));
        assertEquals(json("{metadata:{name:'d',labels:{tier:'web'}},spec:{replicas:3}}"), out);
        assertEquals(json("{metadata:{name:'d',labels:{app:'x'}},spec:{replicas:1}}"), DEPLOYMENT);
    }

    @Test
    void failedTestOperationIs422() {
        PatchException e = assertThrows(PatchException.class, () -> JsonPatches.applyJsonPatch(DEPLOYMENT,
                json("[{op:'test',path:'/spec/replicas',value:2},{op:'replace',path:'/spec/replicas',value:3}]")));
        assertEquals(422, e.code());
        assertEquals("Invalid", e.reason());
    }

    @Test
    void removingAMissingPathIs422() {
        assertEquals(422, assertThrows(PatchException.class, () -> JsonPatches.applyJsonPatch(DEPLOYMENT,
                json("[{op:'remove',path:'/spec/paused'}]"))).code());
    }

    @Test
    void malformedJsonPatchIs400() {
        assertEquals(400, assertThrows(PatchException.class,
                () -> JsonPatches.applyJsonPatch(DEPLOYMENT, json("{op:'add'}"))).code());
        assertEquals(400, assertThrows(PatchException.class,
                () -> JsonPatches.applyJsonPatch(DEPLOYMENT, json("[{op:'frobnicate',path:'/a'}]"))).code());
        // like kube-apiserver, an operation without a path decodes but does not apply
        assertEquals(422, assertThrows(PatchException.class,
                () -> JsonPatches.applyJsonPatch(DEPLOYMENT, json("[{op:'add',value:1}]"))).code());
    }

    @Test
    void tooManyOperationsIs413() {
        ArrayNode ops = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i <= JsonPatches.MAX_JSON_PATCH_OPERATIONS; i++) {
            ops.addObject().put("op", "test").put("path", "/spec/replicas").put("value", 1);
        }
        assertEquals(413, assertThrows(PatchException.class, () -> JsonPatches.applyJsonPatch(DEPLOYMENT, ops)).code());
    }

    @Test
    void mergePatchFollowsRfc7386() {
        JsonNode out = JsonPatches.applyMergePatch(
                json("{metadata:{labels:{a:'1',b:'2'}},spec:{containers:[{name:'a'},{name:'b'}]}}"),
                json("{metadata:{labels:{a:null,c:'3'}},spec:{containers:[{name:'c'}]}}"));
        // maps merge and null deletes; lists are replaced whole (no merge keys in a merge patch)
        assertEquals(json("{metadata:{labels:{b:'2',c:'3'}},spec:{containers:[{name:'c'}]}}"), out);
    }
}
