package io.starling.gateway.proto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Descriptors.Descriptor;
import io.kubernetes.client.proto.Runtime;
import io.starling.gateway.patch.PatchException;
import java.util.Arrays;

/**
 * Decodes request bodies sent as application/vnd.kubernetes.protobuf into the JSON form of the
 * object. Wire format: the 4 magic bytes "k8s\0", then a runtime.Unknown message whose typeMeta names
 * the apiVersion and kind and whose raw bytes are the typed object's protobuf (see {@link ProtoKinds}).
 */
public final class ProtobufBodies {
    /** The prefix of every Kubernetes protobuf body. */
    public static final byte[] MAGIC = {'k', '8', 's', 0};
    /** The media type of these bodies. */
    public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

    private ProtobufBodies() {}

    /** @throws PatchException 400 on a malformed body, 415 on an unknown kind or an encoded (compressed) body */
    public static JsonNode toJson(byte[] body) {
        if (body == null || body.length < MAGIC.length || !Arrays.equals(body, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw badRequest("protobuf body does not start with the k8s\\0 prefix");
        }
        Runtime.Unknown envelope;
        try {
            envelope = Runtime.Unknown.parseFrom(Arrays.copyOfRange(body, MAGIC.length, body.length));
        } catch (InvalidProtocolBufferException e) {
            throw badRequest("malformed protobuf envelope: " + e.getMessage());
        }
        String encoding = envelope.getContentEncoding();
        if (!encoding.isEmpty()) {
            throw new PatchException(415, "UnsupportedMediaType", "unsupported protobuf content encoding " + encoding);
        }
        String contentType = envelope.getContentType();
        if (!contentType.isEmpty() && !contentType.equals(MEDIA_TYPE)) {
            throw new PatchException(415, "UnsupportedMediaType", "unsupported embedded content type " + contentType);
        }
        String apiVersion = envelope.getTypeMeta().getApiVersion();
        String kind = envelope.getTypeMeta().getKind();
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            throw badRequest("protobuf envelope does not name apiVersion and kind");
        }
        Descriptor type = ProtoKinds.find(apiVersion, kind);
        if (type == null) {
            throw new PatchException(415, "UnsupportedMediaType",
                    "no protobuf serialization for " + apiVersion + ", Kind=" + kind + "; send JSON");
        }
        DynamicMessage object;
        try {
            object = DynamicMessage.parseFrom(type, envelope.getRaw());
        } catch (InvalidProtocolBufferException e) {
            throw badRequest("malformed protobuf " + kind + ": " + e.getMessage());
        }
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("apiVersion", apiVersion);
        json.put("kind", kind);
        json.setAll(ProtoJson.toJson(object));
        return json;
    }

    private static PatchException badRequest(String message) {
        return new PatchException(400, "BadRequest", message);
    }
}
