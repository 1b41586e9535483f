package io.starling.gateway.proto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.starling.dht.kube.KubeJson;
import io.starling.gateway.patch.PatchException;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Converts a decoded Kubernetes protobuf message into the JSON the same object has in the API.
 *
 * <p>The generated messages use the JSON field names, so the walk over the descriptors is generic;
 * what differs is the value encoding of a few apimachinery types (Time and MicroTime as RFC 3339,
 * Duration as a Go duration string, Quantity and IntOrString as scalars, FieldsV1 and RawExtension
 * as embedded JSON), int64 as plain numbers and bytes as base64.
 *
 * <p>Zero values: Go's protobuf marshaller writes every non-pointer field, even when zero, so a
 * present "" / 0 / false usually means "unset" and JSON (omitempty) would leave it out. We drop
 * such singular scalars, except for the fields in {@link #ZERO_IS_MEANINGFUL}, which are pointers
 * in the Go types (spec.replicas: 0, runAsUser: 0, automountServiceAccountToken: false, ...). Map values
 * and list items are always kept.
 */
final class ProtoJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";
    private static final String TIME = META + "Time";
    private static final String MICRO_TIME = META + "MicroTime";
    private static final String DURATION = META + "Duration";
    private static final String FIELDS_V1 = META + "FieldsV1";
    private static final String QUANTITY = "k8s.io.apimachinery.pkg.api.resource.Quantity";
    private static final String INT_OR_STRING = "k8s.io.apimachinery.pkg.util.intstr.IntOrString";
    private static final String RAW_EXTENSION = "k8s.io.apimachinery.pkg.runtime.RawExtension";
    /** Go's zero time.Time as Unix seconds: an unset Time some encoders write out. */
    private static final long GO_ZERO_TIME_SECONDS = -62135596800L;
    private static final DateTimeFormatter RFC3339_MICROS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(ZoneOffset.UTC);

    /** Singular fields ("Type.field") that are pointers in the Go API types: zero there is a real value. */
    static final Set<String> ZERO_IS_MEANINGFUL = Set.of(
            "DeploymentSpec.replicas", "ReplicaSetSpec.replicas", "StatefulSetSpec.replicas",
            "ReplicationControllerSpec.replicas", "ScaleSpec.replicas",
            "DeploymentSpec.revisionHistoryLimit", "DeploymentSpec.progressDeadlineSeconds",
            "DaemonSetSpec.revisionHistoryLimit", "StatefulSetSpec.revisionHistoryLimit",
            "PodSpec.terminationGracePeriodSeconds", "PodSpec.activeDeadlineSeconds", "PodSpec.priority",
            "PodSpec.automountServiceAccountToken", "PodSpec.enableServiceLinks", "PodSpec.hostUsers",
            "PodSpec.setHostnameAsFQDN", "PodSpec.shareProcessNamespace", "ObjectMeta.deletionGracePeriodSeconds",
            "SecurityContext.runAsUser", "SecurityContext.runAsGroup", "SecurityContext.privileged",
            "SecurityContext.allowPrivilegeEscalation", "SecurityContext.runAsNonRoot",
            "SecurityContext.readOnlyRootFilesystem", "PodSecurityContext.runAsUser", "PodSecurityContext.runAsGroup",
            "PodSecurityContext.fsGroup", "PodSecurityContext.runAsNonRoot",
            "SecretVolumeSource.defaultMode", "SecretVolumeSource.optional", "ConfigMapVolumeSource.defaultMode",
            "ConfigMapVolumeSource.optional", "ProjectedVolumeSource.defaultMode", "DownwardAPIVolumeSource.defaultMode",
            "KeyToPath.mode", "DownwardAPIVolumeFile.mode", "ConfigMapKeySelector.optional", "SecretKeySelector.optional",
            "ConfigMapEnvSource.optional", "SecretEnvSource.optional", "ConfigMapProjection.optional",
            "SecretProjection.optional", "ServiceAccountTokenProjection.expirationSeconds",
            "ServiceAccount.automountServiceAccountToken", "ConfigMap.immutable", "Secret.immutable",
            "ServiceSpec.allocateLoadBalancerNodePorts", "ClientIPConfig.timeoutSeconds",
            "OwnerReference.controller", "OwnerReference.blockOwnerDeletion",
            "RollingUpdateStatefulSetStrategy.partition", "RollingUpdateStatefulSetStrategy.maxUnavailable",
            "RollingUpdateDeployment.maxUnavailable", "RollingUpdateDeployment.maxSurge",
            "RollingUpdateDaemonSet.maxUnavailable", "RollingUpdateDaemonSet.maxSurge",
            "PodDisruptionBudgetSpec.minAvailable", "PodDisruptionBudgetSpec.maxUnavailable",
            "JobSpec.backoffLimit", "JobSpec.completions", "JobSpec.parallelism", "JobSpec.ttlSecondsAfterFinished",
            "JobSpec.suspend", "JobSpec.activeDeadlineSeconds", "CronJobSpec.startingDeadlineSeconds",
            "CronJobSpec.successfulJobsHistoryLimit", "CronJobSpec.failedJobsHistoryLimit", "CronJobSpec.suspend",
            "Toleration.tolerationSeconds", "PersistentVolumeClaimSpec.storageClassName");

    private ProtoJson() {}

    static ObjectNode toJson(Message message) {
        ObjectNode out = F.objectNode();
        for (FieldDescriptor f : message.getDescriptorForType().getFields()) {
            if (f.isMapField()) {
                List<?> entries = (List<?>) message.getField(f);
                if (!entries.isEmpty()) {
                    out.set(f.getJsonName(), map(f, entries));
                }
            } else if (f.isRepeated()) {
                int count = message.getRepeatedFieldCount(f);
                if (count > 0) {
                    ArrayNode list = out.putArray(f.getJsonName());
                    for (int i = 0; i < count; i++) {
                        JsonNode v = value(f, message.getRepeatedField(f, i));
                        list.add(v == null ? F.nullNode() : v);
                    }
                }
            } else if (message.hasField(f)) {
                JsonNode v = value(f, message.getField(f));
                if (v != null && (!isZero(v) || ZERO_IS_MEANINGFUL.contains(f.getContainingType().getName() + "." + f.getJsonName()))) {
                    out.set(f.getJsonName(), v);
                }
            }
        }
        return out;
    }

    private static ObjectNode map(FieldDescriptor f, List<?> entries) {
        Descriptor entry = f.getMessageType();
        FieldDescriptor key = entry.findFieldByNumber(1);
        FieldDescriptor value = entry.findFieldByNumber(2);
        ObjectNode out = F.objectNode();
        for (Object e : entries) {
            Message m = (Message) e;
            JsonNode v = value(value, m.getField(value));
            out.set(String.valueOf(m.getField(key)), v == null ? F.nullNode() : v);
        }
        return out;
    }

    /** The JSON of one value; null for a value that JSON leaves out (an empty embedded object). */
    private static JsonNode value(FieldDescriptor f, Object v) {
        switch (f.getJavaType()) {
            case STRING:
                return F.textNode((String) v);
            case BOOLEAN:
                return F.booleanNode((Boolean) v);
            case INT:
                return F.numberNode((Integer) v);
            case LONG:
                return number((Long) v);
            case FLOAT:
                return F.numberNode((Float) v);
            case DOUBLE:
                return F.numberNode((Double) v);
            case BYTE_STRING:
                return F.textNode(Base64.getEncoder().encodeToString(((ByteString) v).toByteArray()));
            case ENUM:
                return F.textNode(v.toString());
            case MESSAGE:
                return message((Message) v);
            default:
                throw new PatchException(400, "BadRequest", "unsupported protobuf field " + f.getFullName());
        }
    }

    private static JsonNode message(Message m) {
        switch (m.getDescriptorForType().getFullName()) {
            case TIME:
                return time(m, false);
            case MICRO_TIME:
                return time(m, true);
            case DURATION:
                return F.textNode(goDuration(longField(m, "duration")));
            case QUANTITY:
                return F.textNode(stringField(m, "string"));
            case INT_OR_STRING:
                return longField(m, "type") == 1 ? F.textNode(stringField(m, "strVal")) : number(longField(m, "intVal"));
            case FIELDS_V1:
            case RAW_EXTENSION:
                return embeddedJson(m);
            default:
                return toJson(m);
        }
    }

    /** The node Jackson itself reads for this number, so decoded bodies compare equal to parsed JSON. */
    private static JsonNode number(long v) {
        return v == (int) v ? F.numberNode((int) v) : F.numberNode(v);
    }

    private static JsonNode time(Message m, boolean micros) {
        long seconds = longField(m, "seconds");
        long nanos = longField(m, "nanos");
        if ((seconds == 0 && nanos == 0) || seconds == GO_ZERO_TIME_SECONDS) {
            return F.nullNode(); // Go writes a zero metav1.Time as JSON null
        }
        Instant t = Instant.ofEpochSecond(seconds, nanos);
        return F.textNode(micros ? RFC3339_MICROS.format(t) : DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS)));
    }

    private static JsonNode embeddedJson(Message m) {
        FieldDescriptor raw = m.getDescriptorForType().findFieldByNumber(1);
        ByteString bytes = (ByteString) m.getField(raw);
        if (bytes.isEmpty()) {
            return null;
        }
        try {
            return KubeJson.MAPPER.readTree(bytes.toByteArray());
        } catch (IOException e) {
            throw new PatchException(400, "BadRequest", "embedded object is not JSON: " + e.getMessage());
        }
    }

    /** Go's time.Duration.String(): "1h2m3.5s", "1.5ms", "0s". */
    static String goDuration(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        String sign = nanos < 0 ? "-" : "";
        BigDecimal abs = BigDecimal.valueOf(nanos).abs();
        if (abs.compareTo(BigDecimal.valueOf(1_000_000_000L)) < 0) {
            if (abs.compareTo(BigDecimal.valueOf(1_000)) < 0) {
                return sign + abs.toPlainString() + "ns";
            }
            if (abs.compareTo(BigDecimal.valueOf(1_000_000)) < 0) {
                return sign + trim(abs.movePointLeft(3)) + "\u00b5s";
            }
            return sign + trim(abs.movePointLeft(6)) + "ms";
        }
        BigDecimal seconds = abs.movePointLeft(9);
        long whole = seconds.longValue();
        long hours = whole / 3600;
        long minutes = (whole % 3600) / 60;
        BigDecimal secs = seconds.subtract(BigDecimal.valueOf(hours * 3600 + minutes * 60));
        StringBuilder sb = new StringBuilder(sign);
        if (hours > 0) {
            sb.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            sb.append(minutes).append('m');
        }
        return sb.append(trim(secs)).append('s').toString();
    }

    private static String trim(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0).toPlainString() : s.toPlainString();
    }

    private static boolean isZero(JsonNode v) {
        return (v.isTextual() && v.asText().isEmpty())
                || (v.isBoolean() && !v.asBoolean())
                || (v.isNumber() && v.asDouble() == 0);
    }

    private static long longField(Message m, String name) {
        FieldDescriptor f = m.getDescriptorForType().findFieldByName(name);
        return f == null ? 0 : ((Number) m.getField(f)).longValue();
    }

    private static String stringField(Message m, String name) {
        FieldDescriptor f = m.getDescriptorForType().findFieldByName(name);
        return f == null ? "" : (String) m.getField(f);
    }
}
