package io.starling.runtime.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arrays;
import static org.quicktheories.generators.SourceDSL.integers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The remote-command framing as kubectl (client-go) reads and writes it. */
class RemoteCommandTest {
    private static final ObjectMapper M = new ObjectMapper();

    private static JsonNode status(byte[] frame) throws Exception {
        assertEquals(RemoteCommand.ERROR, frame[0], "the status travels on the error channel");
        return M.readTree(Arrays.copyOfRange(frame, 1, frame.length));
    }

    @Test
    void stdinAndResizeDecodeUnderBothProtocols() {
        for (String p : RemoteCommand.PROTOCOLS) {
            RemoteCommand.Data d = assertInstanceOf(RemoteCommand.Data.class, RemoteCommand.decode(new byte[] {0, 'h', 'i'}, p));
            assertEquals(RemoteCommand.STDIN, d.channel());
            assertArrayEquals("hi".getBytes(StandardCharsets.UTF_8), d.bytes());
            byte[] resize = ("\u0004" + "{\"Width\":80,\"Height\":24}").getBytes(StandardCharsets.UTF_8);
            assertEquals(RemoteCommand.RESIZE, assertInstanceOf(RemoteCommand.Data.class, RemoteCommand.decode(resize, p)).channel());
        }
    }

    @Test
    void closeSignalIsV5Only() {
        RemoteCommand.Close c = assertInstanceOf(RemoteCommand.Close.class,
                RemoteCommand.decode(new byte[] {(byte) 255, 0}, RemoteCommand.V5));
        assertEquals(RemoteCommand.STDIN, c.channel());
        assertInstanceOf(RemoteCommand.Malformed.class, RemoteCommand.decode(new byte[] {(byte) 255, 0}, RemoteCommand.V4),
                "v4 has no close signal: 255 is not a channel a client may write");
        assertInstanceOf(RemoteCommand.Malformed.class, RemoteCommand.decode(new byte[] {(byte) 255, 0, 1}, RemoteCommand.V5));
        assertInstanceOf(RemoteCommand.Malformed.class, RemoteCommand.decode(new byte[] {(byte) 255}, RemoteCommand.V5));
    }

    @Test
    void clientsCannotWriteOutputChannelsOrEmptyMessages() {
        for (int ch : new int[] {RemoteCommand.STDOUT, RemoteCommand.STDERR, RemoteCommand.ERROR, 7}) {
            assertInstanceOf(RemoteCommand.Malformed.class, RemoteCommand.decode(new byte[] {(byte) ch, 'x'}, RemoteCommand.V5));
        }
        assertInstanceOf(RemoteCommand.Malformed.class, RemoteCommand.decode(new byte[0], RemoteCommand.V5));
    }

    @Test
    void framesCarryTheChannelThenTheBytes() {
        qt().forAll(integers().between(0, 4), arrays().ofIntegers(integers().between(-128, 127)).withLengthBetween(0, 64))
                .check((ch, ints) -> {
                    byte[] data = new byte[ints.length];
                    for (int i = 0; i < ints.length; i++) {
                        data[i] = (byte) (int) ints[i];
                    }
                    byte[] f = RemoteCommand.frame(ch, data, 0, data.length);
                    return f.length == data.length + 1 && f[0] == ch && Arrays.equals(Arrays.copyOfRange(f, 1, f.length), data);
                });
    }

    @Test
    void exitZeroIsSuccess() throws Exception {
        JsonNode s = status(RemoteCommand.exitStatus(0));
        assertEquals("Status", s.path("kind").asText());
        assertEquals("Success", s.path("status").asText());
        assertEquals(false, s.has("details"));
    }

    @Test
    void nonZeroExitCarriesTheCodeAsTheExitCodeCause() throws Exception {
        JsonNode s = status(RemoteCommand.exitStatus(3));
        assertEquals("Failure", s.path("status").asText());
        assertEquals("NonZeroExitCode", s.path("reason").asText());
        JsonNode cause = s.path("details").path("causes").get(0);
        assertEquals("ExitCode", cause.path("reason").asText(), "client-go reads StatusCause.Type, serialized as reason");
        assertEquals("3", cause.path("message").asText());
    }

    @Test
    void failureHasAMessageForTheUser() throws Exception {
        JsonNode s = status(RemoteCommand.failure("no \"tty\" here"));
        assertEquals("Failure", s.path("status").asText());
        assertEquals("no \"tty\" here", s.path("message").asText());
        assertEquals(false, s.path("reason").asText().equals("NonZeroExitCode"), "not mistaken for an exit code");
    }
}
