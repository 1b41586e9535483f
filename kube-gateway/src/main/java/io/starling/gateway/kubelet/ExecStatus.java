package io.starling.gateway.kubelet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the gateway itself says on an exec stream: the remote-command subprotocols it relays and a
 * Failure metav1.Status on the error channel (a binary message {@code [3] + JSON}) when the node
 * agent cannot be reached or drops the connection. kubectl prints its message and exits non-zero.
 */
public final class ExecStatus {
    /** v5 (kubectl 1.30+, with the close signal) first, then v4. */
    public static final List<String> PROTOCOLS = List.of("v5.channel.k8s.io", "v4.channel.k8s.io");
    public static final int ERROR_CHANNEL = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExecStatus() {}

    /** The first protocol of the client's Sec-WebSocket-Protocol list that the gateway relays, or null. */
    public static String select(String offered) {
        if (offered == null) {
            return null;
        }
        for (String p : offered.split(",")) {
            if (PROTOCOLS.contains(p.trim())) {
                return p.trim();
            }
        }
        return null;
    }

    /** The error-channel message for a failure before or around the command. */
    public static byte[] failure(String message) {
        ObjectNode s = JSON.createObjectNode();
        s.put("kind", "Status");
        s.put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", "Failure");
        s.put("message", message);
        s.put("reason", "InternalError");
        s.put("code", 500);
        byte[] json = s.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[json.length + 1];
        out[0] = (byte) ERROR_CHANNEL;
        System.arraycopy(json, 0, out, 1, json.length);
        return out;
    }
}
