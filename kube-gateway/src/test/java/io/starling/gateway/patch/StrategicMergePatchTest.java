package io.starling.gateway.patch;

import static io.starling.gateway.patch.Json.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Table tests written from the behaviour the Kubernetes documentation describes for each example. */
class StrategicMergePatchTest {

    private static JsonNode patchDeployment(String original, String patch) {
        return StrategicMergePatch.apply(json(original), json(patch), "apps/v1", "Deployment");
    }

    private static String podSpec(String spec) {
        return "{apiVersion:'apps/v1',kind:'Deployment',metadata:{name:'d'},spec:{template:{spec:" + spec + "}}}";
    }

    @Test
    void containersAreMergedByName() {
        // "Update API Objects in Place Using kubectl patch": a patch adding a container keeps the old one
        JsonNode out = patchDeployment(
                podSpec("{containers:[{name:'patch-demo-ctr',image:'nginx'}]}"),
                "{spec:{template:{spec:{containers:[{name:'patch-demo-ctr-2',image:'redis'}]}}}}");
        assertEquals(json(podSpec("{containers:[{name:'patch-demo-ctr-2',image:'redis'},{name:'patch-demo-ctr',image:'nginx'}]}")), out);
    }

    @Test
    void containerFieldsMergeInsideTheSameNamedContainer() {
        JsonNode out = patchDeployment(
                podSpec("{containers:[{name:'a',image:'nginx:1',ports:[{containerPort:80}],env:[{name:'X',value:'1'}]}]}"),
                "{spec:{template:{spec:{containers:[{name:'a',image:'nginx:2',env:[{name:'Y',value:'2'}]}]}}}}");
        assertEquals(json(podSpec("{containers:[{name:'a',image:'nginx:2',ports:[{containerPort:80}],"
                + "env:[{name:'Y',value:'2'},{name:'X',value:'1'}]}]}")), out);
    }

    @Test
    void tolerationsAreReplaced() {
        // tolerations have no patch strategy: the documentation's example replaces the list
        JsonNode out = patchDeployment(
                podSpec("{containers:[{name:'a',image:'x'}],tolerations:[{effect:'NoSchedule',key:'dedicated',value:'test-team'}]}"),
                "{spec:{template:{spec:{tolerations:[{effect:'NoSchedule',key:'disktype',value:'ssd'}]}}}}");
        assertEquals(json(podSpec("{containers:[{name:'a',image:'x'}],tolerations:[{effect:'NoSchedule',key:'disktype',value:'ssd'}]}")), out);
    }

    @Test
    void patchDeleteRemovesOneContainer() {
        JsonNode out = patchDeployment(
                podSpec("{containers:[{name:'nginx',image:'nginx-1.0'},{name:'log-tailer',image:'log-tailer-1.0'}]}"),
                "{spec:{template:{spec:{containers:[{name:'log-tailer','$patch':'delete'}]}}}}");
        assertEquals(json(podSpec("{containers:[{name:'nginx',image:'nginx-1.0'}]}")), out);
    }

    @Test
    void patchReplaceInAListReplacesTheWholeList() {
        JsonNode out = patchDeployment(
                podSpec("{containers:[{name:'nginx',image:'nginx-1.0'},{name:'log-tailer',image:'lt'}]}"),
                "{spec:{template:{spec:{containers:[{name:'nginx',image:'nginx-2.0'},{'$patch':'replace'}]}}}}");
        assertEquals(json(podSpec("{containers:[{name:'nginx',image:'nginx-2.0'}]}")), out);
    }

    @Test
    void patchReplaceOnAMapTakesThePatchLiterally() {
        JsonNode out = patchDeployment(
                podSpec("{containers:[{name:'a',image:'x',resources:{limits:{cpu:'1'},requests:{cpu:'1'}}}]}"),
                "{spec:{template:{spec:{containers:[{name:'a',resources:{'$patch':'replace',limits:{memory:'1Gi'}}}]}}}}");
        assertEquals(json(podSpec("{containers:[{name:'a',image:'x',resources:{limits:{memory:'1Gi'}}}]}")), out);
    }

    @Test
    void patchDeleteOnAMapEmptiesIt() {
        // the design doc calls this deletion; kube-apiserver (and kubectl patch --local) leave an empty map
        JsonNode out = patchDeployment("{spec:{strategy:{type:'RollingUpdate',rollingUpdate:{maxSurge:1}}}}",
                "{spec:{strategy:{rollingUpdate:{'$patch':'delete'}}}}");
        assertEquals(json("{spec:{strategy:{type:'RollingUpdate',rollingUpdate:{}}}}"), out);
    }

    @Test
    void nullDeletesAMap() {
        JsonNode out = patchDeployment("{spec:{strategy:{type:'RollingUpdate',rollingUpdate:{maxSurge:1}}}}",
                "{spec:{strategy:{rollingUpdate:null}}}");
        assertEquals(json("{spec:{strategy:{type:'RollingUpdate'}}}"), out);
    }

    @Test
    void newItemsGoBeforeTheOriginalOnesWithoutAnOrderDirective() {
        // kube-apiserver ranks the patch's items first unless they sat later in the original list
        JsonNode out = StrategicMergePatch.apply(json("{metadata:{finalizers:['a','b','c']}}"),
                json("{metadata:{finalizers:['d','a']}}"), "v1", "Pod");
        assertEquals(json("{metadata:{finalizers:['d','a','b','c']}}"), out);
        JsonNode env = StrategicMergePatch.apply(json("{spec:{containers:[{name:'c',env:[{name:'X'},{name:'Y'}]}]}}"),
                json("{spec:{containers:[{name:'c',env:[{name:'Y',value:'1'},{name:'Z'}]}]}}"), "v1", "Pod");
        assertEquals(json("{spec:{containers:[{name:'c',env:[{name:'X'},{name:'Y',value:'1'},{name:'Z'}]}]}}"), env);
    }

    @Test
    void mergeDirectiveInAListIsRejected() {
        assertEquals(400, assertThrows(PatchException.class, () -> patchDeployment(podSpec("{containers:[{name:'a'}]}"),
                "{spec:{template:{spec:{containers:[{name:'a','$patch':'merge'}]}}}}")).code());
    }

    @Test
    void nullDeletesAMapKey() {
        JsonNode out = StrategicMergePatch.apply(
                json("{metadata:{labels:{a:'1',b:'2'}},data:{k:'v'}}"),
                json("{metadata:{labels:{a:null,c:'3'}}}"), "v1", "ConfigMap");
        assertEquals(json("{metadata:{labels:{b:'2',c:'3'}},data:{k:'v'}}"), out);
    }

    @Test
    void setElementOrderReordersContainers() {
        JsonNode out = patchDeployment(
                podSpec("{containers:[{name:'a',image:'1'},{name:'b',image:'2'},{name:'c',image:'3'}]}"),
                "{spec:{template:{spec:{'$setElementOrder/containers':[{name:'b'},{name:'c'},{name:'a'}]}}}}");
        assertEquals(json(podSpec("{containers:[{name:'b',image:'2'},{name:'c',image:'3'},{name:'a',image:'1'}]}")), out);
    }

    @Test
    void setElementOrderPlacesNewItemsAndKeepsUnnamedServerItemsInPlace() {
        // kubectl apply sends the order of its own items; "x" exists only on the server
        JsonNode out = patchDeployment(
                podSpec("{containers:[{name:'a',image:'1'},{name:'x',image:'s'},{name:'b',image:'2'}]}"),
                "{spec:{template:{spec:{'$setElementOrder/containers':[{name:'new'},{name:'a'},{name:'b'}],"
                        + "containers:[{name:'new',image:'n'}]}}}}");
        assertEquals(json(podSpec("{containers:[{name:'new',image:'n'},{name:'a',image:'1'},{name:'x',image:'s'},"
                + "{name:'b',image:'2'}]}")), out);
    }

    @Test
    void setElementOrderOnAPrimitiveSet() {
        JsonNode out = StrategicMergePatch.apply(json("{metadata:{finalizers:['a','b','c']}}"),
                json("{metadata:{'$setElementOrder/finalizers':['b','c','a']}}"), "v1", "ConfigMap");
        assertEquals(json("{metadata:{finalizers:['b','c','a']}}"), out);
    }

    @Test
    void retainKeysClearsFieldsNotListed() {
        // union type (Deployment strategy): switching to Recreate clears rollingUpdate
        JsonNode out = patchDeployment(
                "{spec:{strategy:{type:'RollingUpdate',rollingUpdate:{maxSurge:1,maxUnavailable:0}}}}",
                "{spec:{strategy:{'$retainKeys':['type'],type:'Recreate'}}}");
        assertEquals(json("{spec:{strategy:{type:'Recreate'}}}"), out);
    }

    @Test
    void retainKeysInsideKeyedListItems() {
        JsonNode out = patchDeployment(
                podSpec("{volumes:[{name:'v',emptyDir:{}}]}"),
                "{spec:{template:{spec:{volumes:[{name:'v','$retainKeys':['name','hostPath'],hostPath:{path:'/d'}}]}}}}");
        assertEquals(json(podSpec("{volumes:[{name:'v',hostPath:{path:'/d'}}]}")), out);
    }

    @Test
    void retainKeysMustCoverThePatchedFields() {
        PatchException e = assertThrows(PatchException.class, () -> patchDeployment(
                "{spec:{strategy:{type:'RollingUpdate'}}}",
                "{spec:{strategy:{'$retainKeys':['type'],type:'Recreate',rollingUpdate:{maxSurge:1}}}}"));
        assertEquals(400, e.code());
    }

    @Test
    void deleteFromPrimitiveListOnFinalizers() {
        JsonNode out = StrategicMergePatch.apply(json("{metadata:{name:'n',finalizers:['a','b','c']}}"),
                json("{metadata:{'$deleteFromPrimitiveList/finalizers':['b','c']}}"), "v1", "Namespace");
        assertEquals(json("{metadata:{name:'n',finalizers:['a']}}"), out);
    }

    @Test
    void finalizersMergeAsASet() {
        JsonNode out = StrategicMergePatch.apply(json("{metadata:{finalizers:['a','b']}}"),
                json("{metadata:{finalizers:['b','c']}}"), "v1", "Pod");
        assertEquals(json("{metadata:{finalizers:['a','b','c']}}"), out);
    }

    @Test
    void argsAreReplacedNotMerged() {
        JsonNode out = StrategicMergePatch.apply(
                json("{spec:{containers:[{name:'a',args:['x','y']}]}}"),
                json("{spec:{containers:[{name:'a',args:['z']}]}}"), "v1", "Pod");
        assertEquals(json("{spec:{containers:[{name:'a',args:['z']}]}}"), out);
    }

    @Test
    void servicePortsMergeByPort() {
        JsonNode out = StrategicMergePatch.apply(
                json("{spec:{ports:[{port:80,targetPort:8080},{port:443,targetPort:8443}]}}"),
                json("{spec:{ports:[{port:443,targetPort:9443},{port:9000}]}}"), "v1", "Service");
        assertEquals(json("{spec:{ports:[{port:80,targetPort:8080},{port:443,targetPort:9443},{port:9000}]}}"), out);
    }

    @Test
    void nodeConditionsMergeByType() {
        JsonNode out = StrategicMergePatch.apply(
                json("{status:{conditions:[{type:'Ready',status:'False'},{type:'MemoryPressure',status:'False'}]}}"),
                json("{status:{conditions:[{type:'Ready',status:'True'}]}}"), "v1", "Node");
        assertEquals(json("{status:{conditions:[{type:'Ready',status:'True'},{type:'MemoryPressure',status:'False'}]}}"), out);
    }

    @Test
    void ownerReferencesMergeByUid() {
        JsonNode out = StrategicMergePatch.apply(
                json("{metadata:{ownerReferences:[{uid:'1',name:'a'}]}}"),
                json("{metadata:{ownerReferences:[{uid:'2',name:'b'}]}}"), "apps/v1", "ReplicaSet");
        assertEquals(json("{metadata:{ownerReferences:[{uid:'2',name:'b'},{uid:'1',name:'a'}]}}"), out);
    }

    @Test
    void unknownKindsMergeMapsAndReplaceLists() {
        JsonNode out = StrategicMergePatch.apply(json("{spec:{a:1,containers:[{name:'x'}]}}"),
                json("{spec:{b:2,containers:[{name:'y'}]}}"), "example.com/v1", "Widget");
        assertEquals(json("{spec:{a:1,b:2,containers:[{name:'y'}]}}"), out);
    }

    @Test
    void theOriginalIsNotModified() {
        JsonNode original = json(podSpec("{containers:[{name:'a',image:'1'}]}"));
        JsonNode copy = original.deepCopy();
        StrategicMergePatch.apply(original, json("{spec:{template:{spec:{containers:[{name:'a',image:'2'}]}}}}"), "apps/v1", "Deployment");
        assertEquals(copy, original);
    }

    @Test
    void malformedPatchesAreRejectedWithStatusCodes() {
        assertEquals(400, assertThrows(PatchException.class,
                () -> patchDeployment("{}", "[1,2]")).code());
        assertEquals(400, assertThrows(PatchException.class,
                () -> patchDeployment("{}", "{spec:{'$patch':'explode'}}")).code());
        assertEquals(422, assertThrows(PatchException.class,
                () -> patchDeployment(podSpec("{containers:[]}"), "{spec:{template:{spec:{containers:[{image:'x'}]}}}}")).code());
        assertEquals(400, assertThrows(PatchException.class,
                () -> patchDeployment("{}", "{metadata:{'$deleteFromPrimitiveList/finalizers':'a'}}")).code());
        assertEquals(422, assertThrows(PatchException.class,
                () -> patchDeployment("{spec:{}}", "{'$patch':'delete'}")).code());
    }
}
