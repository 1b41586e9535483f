package io.starling.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.gateway.http.ApiRequest;
import io.starling.gateway.patch.PatchException;
import io.starling.gateway.proto.ProtobufBodies;

/** Decodes request bodies by Content-Type: JSON, YAML, or Kubernetes protobuf. */
public final class Bodies {
    public static final String PROTOBUF = "application/vnd.kubernetes.protobuf";

    private Bodies() {}

    public static ObjectNode object(ApiRequest req) {
        if (req.body().length == 0) {
            throw ApiException.badRequest("the request body is empty");
        }
        String ct = req.contentType();
        return switch (ct) {
            case "application/json", "*/*" -> Json.parseObject(req.body());
            case "application/yaml", "application/x-yaml", "text/yaml" -> Json.parseYamlObject(req.body());
            case PROTOBUF -> protobuf(req.body());
            default -> throw new ApiException(415, "UnsupportedMediaType",
                    "the body of the request was in an unknown format - accepted media types include: "
                            + "application/json, application/yaml, application/vnd.kubernetes.protobuf");
        };
    }

    private static ObjectNode protobuf(byte[] body) {
        JsonNode n;
        try {
            n = ProtobufBodies.toJson(body);
        } catch (PatchException e) {
            throw fromPatch(e);
        } catch (RuntimeException e) {
            throw ApiException.badRequest("cannot decode protobuf body: " + e.getMessage());
        }
        if (!(n instanceof ObjectNode o)) {
            throw ApiException.badRequest("protobuf body is not an object");
        }
        return o;
    }

    public static ApiException fromPatch(PatchException e) {
        return new ApiException(e.code(), e.reason(), e.getMessage());
    }
}
