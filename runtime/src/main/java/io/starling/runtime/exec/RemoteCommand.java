package io.starling.runtime.exec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The channel framing of the Kubernetes remote-command WebSocket subprotocols
 * {@value #V5} and {@value #V4}: every binary message starts with one channel byte
 * ({@value #STDIN} stdin, {@value #STDOUT} stdout, {@value #STDERR} stderr, {@value #ERROR}
 * error, {@value #RESIZE} resize), followed by the data. v5 adds the close signal: a message
 * {@code [255, channel]} half-closes that channel (kubectl sends it for stdin at EOF). The error
 * channel carries one metav1.Status: Success, or Failure with reason NonZeroExitCode and a cause
 * of reason ExitCode whose message is the exit code (kubectl exits with it).
 *
 * <p>Written from the Kubernetes KEP-3396 description and client-go's documented behaviour.
 */
public final class RemoteCommand {
    public static final String V5 = "v5.channel.k8s.io";
    public static final String V4 = "v4.channel.k8s.io";
    /** Subprotocols the agent accepts, preferred first. */
    public static final List<String> PROTOCOLS = List.of(V5, V4);

    public static final int STDIN = 0;
    public static final int STDOUT = 1;
    public static final int STDERR = 2;
    public static final int ERROR = 3;
    public static final int RESIZE = 4;
    /** First byte of a v5 close signal. */
    public static final int CLOSE = 255;

    private static final ObjectMapper JSON = new ObjectMapper();

    private RemoteCommand() {}

    /** A decoded client message. */
    public sealed interface Inbound {}

    /** Data for a channel (stdin or resize). */
    public record Data(int channel, byte[] bytes) implements Inbound {}

    /** The client is done with {@code channel} (v5 only). */
    public record Close(int channel) implements Inbound {}

    /** A message that breaks the protocol; the session ends with this reason. */
    public record Malformed(String reason) implements Inbound {}

    /** Decodes one complete binary message from the client under the negotiated protocol. */
    public static Inbound decode(byte[] message, String protocol) {
        if (message.length == 0) {
            return new Malformed("empty message");
        }
        int channel = message[0] & 0xff;
        if (channel == CLOSE && V5.equals(protocol)) {
            if (message.length != 2) {
                return new Malformed("a close signal has exactly one channel byte, got " + (message.length - 1));
            }
            return new Close(message[1] & 0xff);
        }
        if (channel != STDIN && channel != RESIZE) {
            return new Malformed("clients may only write stdin and resize, not channel " + channel);
        }
        return new Data(channel, Arrays.copyOfRange(message, 1, message.length));
    }

    /** A message for {@code channel} carrying {@code len} bytes of {@code data} from {@code offset}. */
    public static byte[] frame(int channel, byte[] data, int offset, int len) {
        if (channel < 0 || channel > 255) {
            throw new IllegalArgumentException("channel " + channel);
        }
        byte[] out = new byte[len + 1];
        out[0] = (byte) channel;
        System.arraycopy(data, offset, out, 1, len);
        return out;
    }

    /** The error-channel message for a command that exited with {@code exitCode}. */
    public static byte[] exitStatus(int exitCode) {
        ObjectNode s = status(exitCode == 0 ? "Success" : "Failure");
        if (exitCode != 0) {
            s.put("message", "command terminated with non-zero exit code: exit code " + exitCode);
            s.put("reason", "NonZeroExitCode");
            s.putObject("details").putArray("causes").addObject().put("reason", "ExitCode").put("message", Integer.toString(exitCode));
        }
        return errorFrame(s);
    }

    /** The error-channel message for a failure to run the command at all (kubectl prints the message). */
    public static byte[] failure(String message) {
        ObjectNode s = status("Failure");
        s.put("message", message);
        s.put("reason", "InternalError");
        s.put("code", 500);
        return errorFrame(s);
    }

    private static ObjectNode status(String status) {
        ObjectNode s = JSON.createObjectNode();
        s.put("kind", "Status");
        s.put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", status);
        return s;
    }

    private static byte[] errorFrame(ObjectNode status) {
        byte[] json = status.toString().getBytes(StandardCharsets.UTF_8);
        return frame(ERROR, json, 0, json.length);
    }
}
