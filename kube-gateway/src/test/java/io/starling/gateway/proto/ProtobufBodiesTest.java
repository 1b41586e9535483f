package io.starling.gateway.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.kubernetes.client.proto.IntStr.IntOrString;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Resource.Quantity;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.starling.gateway.patch.PatchException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Builds the protobuf bodies kubectl 1.32 sends for "kubectl create ..." with the generated classes
 * (Go's marshaller writes non-pointer fields even when empty, so the builders set them too) and
 * checks they decode to the JSON kubectl would send for the same command.
 */
class ProtobufBodiesTest {
    private static final JsonMapper LENIENT = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES).enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES).build();

    private static JsonNode json(String s) throws Exception {
        return LENIENT.readTree(s);
    }

    static byte[] body(String apiVersion, String kind, Message object) {
        Runtime.Unknown envelope = Runtime.Unknown.newBuilder()
                .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
                .setRaw(object.toByteString())
                .setContentEncoding("")
                .setContentType("")
                .build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ProtobufBodies.MAGIC);
        out.writeBytes(envelope.toByteArray());
        return out.toByteArray();
    }

    private static Meta.ObjectMeta.Builder meta(String name) {
        // an unset creationTimestamp still goes on the wire as an empty Time
        return Meta.ObjectMeta.newBuilder().setName(name).setCreationTimestamp(Meta.Time.newBuilder());
    }

    @Test
    void createNamespace() throws Exception {
        V1.Namespace ns = V1.Namespace.newBuilder().setMetadata(meta("team-a"))
                .setSpec(V1.NamespaceSpec.newBuilder()).setStatus(V1.NamespaceStatus.newBuilder().setPhase("")).build();
        assertEquals(json("{apiVersion:'v1',kind:'Namespace',metadata:{name:'team-a',creationTimestamp:null},spec:{},status:{}}"),
                ProtobufBodies.toJson(body("v1", "Namespace", ns)));
    }

    @Test
    void createConfigMapFromLiteral() throws Exception {
        V1.ConfigMap cm = V1.ConfigMap.newBuilder().setMetadata(meta("cfg").setNamespace("default"))
                .putData("greeting", "hello").putData("empty", "")
                .putBinaryData("blob", ByteString.copyFrom(new byte[] {0, 1, (byte) 255})).build();
        assertEquals(json("{apiVersion:'v1',kind:'ConfigMap',metadata:{name:'cfg',namespace:'default',creationTimestamp:null},"
                        + "data:{greeting:'hello',empty:''},binaryData:{blob:'AAH/'}}"),
                ProtobufBodies.toJson(body("v1", "ConfigMap", cm)));
    }

    @Test
    void createSecretGenericHasBase64Data() throws Exception {
        V1.Secret s = V1.Secret.newBuilder().setMetadata(meta("creds"))
                .putData("password", ByteString.copyFrom("s3cr3t", StandardCharsets.UTF_8)).setType("Opaque").build();
        assertEquals(json("{apiVersion:'v1',kind:'Secret',metadata:{name:'creds',creationTimestamp:null},data:{password:'czNjcjN0'},type:'Opaque'}"),
                ProtobufBodies.toJson(body("v1", "Secret", s)));
    }

    @Test
    void createDeployment() throws Exception {
        V1.PodTemplateSpec template = V1.PodTemplateSpec.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setCreationTimestamp(Meta.Time.newBuilder()).putLabels("app", "web"))
                .setSpec(V1.PodSpec.newBuilder().setRestartPolicy("").setDnsPolicy("").setHostNetwork(false)
                        .addContainers(V1.Container.newBuilder().setName("nginx").setImage("nginx:1.27")
                                .setResources(V1.ResourceRequirements.newBuilder()).setTty(false)))
                .build();
        V1Apps.Deployment d = V1Apps.Deployment.newBuilder()
                .setMetadata(meta("web").putLabels("app", "web"))
                .setSpec(V1Apps.DeploymentSpec.newBuilder().setReplicas(1)
                        .setSelector(Meta.LabelSelector.newBuilder().putMatchLabels("app", "web"))
                        .setTemplate(template).setStrategy(V1Apps.DeploymentStrategy.newBuilder())
                        .setMinReadySeconds(0).setPaused(false))
                .setStatus(V1Apps.DeploymentStatus.newBuilder().setReplicas(0).setObservedGeneration(0))
                .build();
        assertEquals(json("{apiVersion:'apps/v1',kind:'Deployment',metadata:{name:'web',creationTimestamp:null,labels:{app:'web'}},"
                        + "spec:{replicas:1,selector:{matchLabels:{app:'web'}},template:{metadata:{creationTimestamp:null,labels:{app:'web'}},"
                        + "spec:{containers:[{name:'nginx',image:'nginx:1.27',resources:{}}]}},strategy:{}},"
                        + "status:{}}"),
                ProtobufBodies.toJson(body("apps/v1", "Deployment", d)));
    }

    @Test
    void replicasZeroIsKept() throws Exception {
        V1Apps.Deployment d = V1Apps.Deployment.newBuilder().setMetadata(meta("idle"))
                .setSpec(V1Apps.DeploymentSpec.newBuilder().setReplicas(0)).build();
        assertEquals(json("{apiVersion:'apps/v1',kind:'Deployment',metadata:{name:'idle',creationTimestamp:null},spec:{replicas:0}}"),
                ProtobufBodies.toJson(body("apps/v1", "Deployment", d)));
    }

    @Test
    void createServiceClusterIpWithIntOrStringPorts() throws Exception {
        V1.Service svc = V1.Service.newBuilder().setMetadata(meta("web").putLabels("app", "web"))
                .setSpec(V1.ServiceSpec.newBuilder().setType("ClusterIP").putSelector("app", "web")
                        .addPorts(V1.ServicePort.newBuilder().setName("80-8080").setProtocol("TCP").setPort(80)
                                .setTargetPort(IntOrString.newBuilder().setType(0).setIntVal(8080)).setNodePort(0))
                        .addPorts(V1.ServicePort.newBuilder().setName("https").setPort(443)
                                .setTargetPort(IntOrString.newBuilder().setType(1).setStrVal("https"))))
                .setStatus(V1.ServiceStatus.newBuilder().setLoadBalancer(V1.LoadBalancerStatus.newBuilder()))
                .build();
        assertEquals(json("{apiVersion:'v1',kind:'Service',metadata:{name:'web',creationTimestamp:null,labels:{app:'web'}},"
                        + "spec:{ports:[{name:'80-8080',protocol:'TCP',port:80,targetPort:8080},"
                        + "{name:'https',port:443,targetPort:'https'}],selector:{app:'web'},type:'ClusterIP'},"
                        + "status:{loadBalancer:{}}}"),
                ProtobufBodies.toJson(body("v1", "Service", svc)));
    }

    @Test
    void podWithQuantitiesTimesAndInt64() throws Exception {
        V1.Pod pod = V1.Pod.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("p").setGeneration(3)
                        .setCreationTimestamp(Meta.Time.newBuilder().setSeconds(1764244800L).setNanos(0)))
                .setSpec(V1.PodSpec.newBuilder().setTerminationGracePeriodSeconds(0)
                        .addContainers(V1.Container.newBuilder().setName("c").setImage("busybox")
                                .addCommand("sh").addCommand("")
                                .setResources(V1.ResourceRequirements.newBuilder()
                                        .putLimits("cpu", Quantity.newBuilder().setString("500m").build())
                                        .putRequests("memory", Quantity.newBuilder().setString("64Mi").build()))
                                .setSecurityContext(V1.SecurityContext.newBuilder().setRunAsUser(0)
                                        .setAllowPrivilegeEscalation(false))))
                .build();
        assertEquals(json("{apiVersion:'v1',kind:'Pod',metadata:{name:'p',generation:3,"
                        + "creationTimestamp:'2025-11-27T12:00:00Z'},spec:{terminationGracePeriodSeconds:0,"
                        + "containers:[{name:'c',image:'busybox',command:['sh',''],"
                        + "resources:{limits:{cpu:'500m'},requests:{memory:'64Mi'}},"
                        + "securityContext:{runAsUser:0,allowPrivilegeEscalation:false}}]}}"),
                ProtobufBodies.toJson(body("v1", "Pod", pod)));
    }

    @Test
    void eventTimesKeepSecondsOrMicroseconds() throws Exception {
        V1.Event ev = V1.Event.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName("e"))
                .setInvolvedObject(V1.ObjectReference.newBuilder().setKind("Pod").setName("p"))
                .setReason("Pulled").setCount(1)
                .setFirstTimestamp(Meta.Time.newBuilder().setSeconds(1764244800L).setNanos(999_999_999))
                .setEventTime(Meta.MicroTime.newBuilder().setSeconds(1764244800L).setNanos(123_456_789))
                .build();
        assertEquals(json("{apiVersion:'v1',kind:'Event',metadata:{name:'e'},involvedObject:{kind:'Pod',name:'p'},"
                        + "reason:'Pulled',firstTimestamp:'2025-11-27T12:00:00Z',count:1,"
                        + "eventTime:'2025-11-27T12:00:00.123456Z'}"),
                ProtobufBodies.toJson(body("v1", "Event", ev)));
    }

    @Test
    void serviceAccount() throws Exception {
        V1.ServiceAccount sa = V1.ServiceAccount.newBuilder().setMetadata(meta("builder").setNamespace("ci"))
                .setAutomountServiceAccountToken(false)
                .addImagePullSecrets(V1.LocalObjectReference.newBuilder().setName("regcred")).build();
        assertEquals(json("{apiVersion:'v1',kind:'ServiceAccount',metadata:{name:'builder',namespace:'ci',creationTimestamp:null},"
                        + "imagePullSecrets:[{name:'regcred'}],automountServiceAccountToken:false}"),
                ProtobufBodies.toJson(body("v1", "ServiceAccount", sa)));
    }

    @Test
    void everyPointerFieldNamedInTheZeroTableExists() {
        java.util.Map<String, com.google.protobuf.Descriptors.Descriptor> types = new java.util.TreeMap<>();
        for (com.google.protobuf.Descriptors.FileDescriptor f : java.util.List.of(V1.getDescriptor(), V1Apps.getDescriptor(),
                io.kubernetes.client.proto.V1Batch.getDescriptor(), io.kubernetes.client.proto.V1Policy.getDescriptor(),
                io.kubernetes.client.proto.V1Autoscaling.getDescriptor(), Meta.getDescriptor())) {
            f.getMessageTypes().forEach(d -> types.put(d.getName(), d));
        }
        for (String entry : ProtoJson.ZERO_IS_MEANINGFUL) {
            String[] parts = entry.split("\\.");
            com.google.protobuf.Descriptors.Descriptor type = types.get(parts[0]);
            org.junit.jupiter.api.Assertions.assertNotNull(type, entry);
            org.junit.jupiter.api.Assertions.assertNotNull(type.findFieldByName(parts[1]), entry);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"create-namespace", "create-configmap", "create-secret-generic", "create-secret-docker-registry",
            "create-deployment", "create-service-clusterip", "create-service-nodeport", "create-serviceaccount"})
    void bodiesCapturedFromKubectlDecodeToTheJsonKubectlPrints(String command) throws Exception {
        String base = "/io/starling/gateway/proto/kubectl-1.32/" + command;
        byte[] body;
        JsonNode expected;
        try (java.io.InputStream pb = getClass().getResourceAsStream(base + ".pb");
             java.io.InputStream js = getClass().getResourceAsStream(base + ".json")) {
            body = pb.readAllBytes();
            expected = LENIENT.readTree(js);
        }
        assertEquals(expected, ProtobufBodies.toJson(body));
    }

    @Test
    void goDurationStrings() {
        assertEquals("0s", ProtoJson.goDuration(0));
        assertEquals("1h0m0s", ProtoJson.goDuration(3_600_000_000_000L));
        assertEquals("1m30s", ProtoJson.goDuration(90_000_000_000L));
        assertEquals("1.5s", ProtoJson.goDuration(1_500_000_000L));
        assertEquals("1.5ms", ProtoJson.goDuration(1_500_000L));
        assertEquals("-2s", ProtoJson.goDuration(-2_000_000_000L));
    }

    @Test
    void malformedBodiesAre400() {
        assertEquals(400, assertThrows(PatchException.class, () -> ProtobufBodies.toJson(new byte[] {'{', '}'})).code());
        assertEquals(400, assertThrows(PatchException.class, () -> ProtobufBodies.toJson(null)).code());
        byte[] truncated = body("v1", "ConfigMap", V1.ConfigMap.newBuilder().setMetadata(meta("x")).build());
        assertEquals(400, assertThrows(PatchException.class,
                () -> ProtobufBodies.toJson(java.util.Arrays.copyOf(truncated, truncated.length - 3))).code());
        byte[] garbage = {'k', '8', 's', 0, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertEquals(400, assertThrows(PatchException.class, () -> ProtobufBodies.toJson(garbage)).code());
        Runtime.Unknown badRaw = Runtime.Unknown.newBuilder()
                .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion("v1").setKind("ConfigMap"))
                .setRaw(ByteString.copyFrom(new byte[] {0x0a, 0x7f, 0x01})).build();
        byte[] badObject = new byte[4 + badRaw.getSerializedSize()];
        System.arraycopy(ProtobufBodies.MAGIC, 0, badObject, 0, 4);
        System.arraycopy(badRaw.toByteArray(), 0, badObject, 4, badRaw.getSerializedSize());
        assertEquals(400, assertThrows(PatchException.class, () -> ProtobufBodies.toJson(badObject)).code());
    }

    @Test
    void unknownKindsAre415() {
        byte[] widget = body("example.com/v1", "Widget", V1.ConfigMap.newBuilder().setMetadata(meta("x")).build());
        PatchException e = assertThrows(PatchException.class, () -> ProtobufBodies.toJson(widget));
        assertEquals(415, e.code());
        assertEquals("UnsupportedMediaType", e.reason());
    }
}
