package io.starling.core.net.netty;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Idle links are closed, on EmbeddedChannel's virtual time (no sleeps). */
class LinkHandlerTest {
    @Test
    void aLinkIdleForLongerThanTheLimitIsClosed() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(new IdleStateHandler(0, 0, 1_000, TimeUnit.MILLISECONDS));
        ch.pipeline().addLast(new LinkHandler(chain -> null, new TransportStats(), (c, id, e) -> { }));
        ch.advanceTimeBy(900, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(ch.isOpen(), "not idle long enough yet");
        ch.advanceTimeBy(200, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertFalse(ch.isOpen(), "closed after idleTimeoutMillis without traffic");
        ch.finishAndReleaseAll();
    }
}
