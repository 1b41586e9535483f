package io.starling.gateway.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ResourceLeakDetector;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The exec relay between a client channel and an agent channel, on EmbeddedChannels (virtual time). */
class FrameRelayTest {
    private final EmbeddedChannel client = new EmbeddedChannel();
    private final EmbeddedChannel agent = new EmbeddedChannel();
    private final FrameRelay fromClient = new FrameRelay(false);
    private final FrameRelay fromAgent = new FrameRelay(true);

    @BeforeAll
    static void paranoid() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    FrameRelayTest() {
        client.pipeline().addLast(fromClient);
        agent.pipeline().addLast(fromAgent);
    }

    private void attach() {
        fromClient.attach(agent);
        fromAgent.attach(client);
    }

    @AfterEach
    void release() {
        client.finishAndReleaseAll();
        agent.finishAndReleaseAll();
    }

    private static BinaryWebSocketFrame frame(int channel, String text) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[t.length + 1];
        b[0] = (byte) channel;
        System.arraycopy(t, 0, b, 1, t.length);
        return new BinaryWebSocketFrame(Unpooled.wrappedBuffer(b));
    }

    private static String text(WebSocketFrame f) {
        try {
            return new String(ByteBufUtil.getBytes(f.content()), StandardCharsets.UTF_8);
        } finally {
            f.release();
        }
    }

    @Test
    void dataFramesPassUnchangedBothWays() {
        attach();
        client.writeInbound(frame(0, "stdin"));
        client.writeInbound(new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(new byte[] {'!'})));
        assertEquals("\u0000stdin", text(assertInstanceOf(BinaryWebSocketFrame.class, agent.readOutbound())));
        assertEquals("!", text(assertInstanceOf(ContinuationWebSocketFrame.class, agent.readOutbound())));
        agent.writeInbound(frame(1, "out"));
        assertEquals("\u0001out", text(client.readOutbound()));
    }

    @Test
    void pingsAreAnsweredOnTheirOwnHop() {
        attach();
        client.writeInbound(new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {7})));
        assertEquals("\u0007", text(assertInstanceOf(PongWebSocketFrame.class, client.readOutbound())));
        assertNull(agent.readOutbound(), "pings are not relayed");
    }

    @Test
    void framesBeforeTheAgentIsConnectedWaitForIt() {
        client.writeInbound(frame(0, "early"));
        assertEquals(1, fromClient.pendingFrames());
        attach();
        assertEquals(0, fromClient.pendingFrames());
        assertEquals("\u0000early", text(agent.readOutbound()));
    }

    @Test
    void aSlowClientPausesReadingFromTheAgentUntilItDrains() {
        attach();
        client.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        client.runPendingTasks();
        agent.writeInbound(frame(1, "lots"));
        assertFalse(agent.config().isAutoRead(), "the agent side stops reading while the client cannot take more");
        assertTrue(client.config().isAutoRead());
        client.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        client.runPendingTasks();
        assertTrue(agent.config().isAutoRead(), "reading resumes once the client drained");
        assertEquals("\u0001lots", text(client.readOutbound()));
    }

    @Test
    void theAgentsNormalEndClosesBothSidesAfterTheStatus() {
        attach();
        agent.writeInbound(frame(3, "{\"status\":\"Success\"}"));
        agent.writeInbound(new CloseWebSocketFrame(1000, ""));
        CloseWebSocketFrame answer = assertInstanceOf(CloseWebSocketFrame.class, agent.readOutbound());
        assertEquals(1000, answer.statusCode());
        answer.release();
        assertFalse(agent.isOpen(), "the agent's close was answered and its connection ended");

        assertEquals("\u0003{\"status\":\"Success\"}", text(client.readOutbound()), "the status reaches the client as is");
        CloseWebSocketFrame toClient = assertInstanceOf(CloseWebSocketFrame.class, client.readOutbound());
        assertEquals(1000, toClient.statusCode(), "kubectl treats only a normal closure as the end of its streams");
        toClient.release();
        assertNull(client.readOutbound(), "no made-up failure after a real status");
        assertTrue(client.isOpen(), "the client may still answer the close");
        client.writeInbound(new CloseWebSocketFrame(1000, ""));
        assertFalse(client.isOpen());
    }

    @Test
    void anAgentThatDropsWithoutAStatusIsAFailureForTheClient() {
        attach();
        agent.writeInbound(frame(1, "partial"));
        agent.close();
        assertEquals("\u0001partial", text(client.readOutbound()));
        String status = text(client.readOutbound());
        assertTrue(status.startsWith("\u0003") && status.contains("\"status\":\"Failure\"")
                && status.contains("ended without an exit status"), status);
        assertInstanceOf(CloseWebSocketFrame.class, client.readOutbound()).release();
        client.advanceTimeBy(FrameRelay.CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        client.runScheduledPendingTasks();
        assertFalse(client.isOpen(), "a client that never answers the close is disconnected after the wait");
    }

    @Test
    void aClientThatGoesAwayEndsTheAgentSide() {
        attach();
        client.close();
        assertInstanceOf(CloseWebSocketFrame.class, agent.readOutbound()).release();
        agent.writeInbound(new CloseWebSocketFrame(1000, ""));
        assertFalse(agent.isOpen());
    }
}
