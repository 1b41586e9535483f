package io.starling.gateway.proto;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Authentication;
import io.kubernetes.client.proto.V1Authorization;
import io.kubernetes.client.proto.V1Autoscaling;
import io.kubernetes.client.proto.V1Batch;
import io.kubernetes.client.proto.V1Certificates;
import io.kubernetes.client.proto.V1Networking;
import io.kubernetes.client.proto.V1Policy;
import io.kubernetes.client.proto.V1Rbac;
import io.kubernetes.client.proto.V1Scheduling;
import io.kubernetes.client.proto.V1Storage;
import java.util.Map;
import java.util.TreeMap;

/**
 * Maps "apiVersion/kind" to the protobuf descriptor of the typed object, from the generated
 * Kubernetes descriptors in io.kubernetes:client-java-proto. A kind is any top-level message of a
 * v1 API package that carries ObjectMeta {@code metadata} (lists and options are not bodies we accept).
 */
final class ProtoKinds {
    private static final String OBJECT_META = "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta";
    private static final Map<String, Descriptor> KINDS = build();

    private ProtoKinds() {}

    /** The descriptor of the object, or null for a kind without a protobuf form here. */
    static Descriptor find(String apiVersion, String kind) {
        return KINDS.get(apiVersion + "/" + kind);
    }

    private static Map<String, Descriptor> build() {
        Map<String, Descriptor> m = new TreeMap<>();
        register(m, "v1", V1.getDescriptor());
        register(m, "apps/v1", V1Apps.getDescriptor());
        register(m, "batch/v1", V1Batch.getDescriptor());
        register(m, "autoscaling/v1", V1Autoscaling.getDescriptor());
        register(m, "policy/v1", V1Policy.getDescriptor());
        register(m, "networking.k8s.io/v1", V1Networking.getDescriptor());
        register(m, "rbac.authorization.k8s.io/v1", V1Rbac.getDescriptor());
        register(m, "scheduling.k8s.io/v1", V1Scheduling.getDescriptor());
        register(m, "storage.k8s.io/v1", V1Storage.getDescriptor());
        register(m, "certificates.k8s.io/v1", V1Certificates.getDescriptor());
        register(m, "authentication.k8s.io/v1", V1Authentication.getDescriptor());
        register(m, "authorization.k8s.io/v1", V1Authorization.getDescriptor());
        return Map.copyOf(m);
    }

    private static void register(Map<String, Descriptor> m, String apiVersion, FileDescriptor file) {
        for (Descriptor d : file.getMessageTypes()) {
            FieldDescriptor meta = d.findFieldByName("metadata");
            if (meta != null && meta.getType() == FieldDescriptor.Type.MESSAGE
                    && meta.getMessageType().getFullName().equals(OBJECT_META)) {
                m.put(apiVersion + "/" + d.getName(), d);
            }
        }
    }
}
