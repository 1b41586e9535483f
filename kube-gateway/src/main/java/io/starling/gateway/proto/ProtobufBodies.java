package io.starling.gateway.proto;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Decodes request bodies sent as application/vnd.kubernetes.protobuf ("k8s\0" magic + runtime.Unknown
 * envelope) into the JSON form of the object. Implementation pending (gateway-patch work).
 */
public final class ProtobufBodies {
    private ProtobufBodies() {}

    /** @throws io.starling.gateway.patch.PatchException 400 on a malformed body, 415 on an unknown kind */
    public static JsonNode toJson(byte[] body) {
        throw new io.starling.gateway.patch.PatchException(415, "UnsupportedMediaType", "protobuf bodies are not supported yet");
    }
}
