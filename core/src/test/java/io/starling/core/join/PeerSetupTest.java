package io.starling.core.join;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.starling.core.exec.ThreadEventLoop;
import io.starling.core.net.NodeId;
import io.starling.core.net.PeerAddress;
import io.starling.core.net.WireRegistry;
import io.starling.core.net.netty.NettyTransport;
import io.starling.core.net.netty.NettyTransportConfig;
import io.starling.core.security.JoinToken;
import io.starling.core.security.PeerCredentials;
import io.starling.core.security.PeerRole;
import io.starling.core.time.SystemClock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** init -> join -> a joined super-peer admits the next peer itself (no master) -> restarts reuse the data dir. */
class PeerSetupTest {
    private static final int PUZZLE_BITS = 4;
    private final List<AutoCloseable> open = new ArrayList<>();

    @TempDir
    Path tmp;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    /** A peer process as the lead wires it: credentials -> transport -> join service on super-peers. */
    private NettyTransport startPeer(PeerCredentials creds) {
        ThreadEventLoop loop = new ThreadEventLoop("peer");
        open.add(loop);
        NettyTransport t = new NettyTransport(NettyTransportConfig.defaults(), creds.tls(), creds.nodeId(), loop,
                JoinMessages.register(new WireRegistry()));
        open.add(t);
        JoinService.forPeer(creds, PUZZLE_BITS, SystemClock.INSTANCE, List::of).ifPresent(s -> s.attach(t));
        return t;
    }

    @Test
    void initJoinAndRestartFromDataDirs() throws Exception {
        Path first = tmp.resolve("first");
        PeerSetup.InitResult init = PeerSetup.init(first, "site-a", PUZZLE_BITS, SystemClock.INSTANCE);
        JoinToken token = init.token().orElseThrow();
        PeerSetup.InitResult again = PeerSetup.init(first, "site-a", PUZZLE_BITS, SystemClock.INSTANCE);
        assertFalse(again.token().isPresent(), "the token is printed once; only its hash is kept");
        assertEquals(init.credentials().nodeId(), again.credentials().nodeId());
        NettyTransport a = startPeer(init.credentials());

        Path second = tmp.resolve("second");
        JoinResult b = PeerSetup.joinOrLoad(second, a.localAddress(), token, "site-b", PeerRole.SUPER,
                new PeerAddress("127.0.0.1", 1), PUZZLE_BITS, SystemClock.INSTANCE).get(15, TimeUnit.SECONDS);
        NettyTransport bt = startPeer(b.credentials());

        // The joined super-peer admits a third peer on its own: the first one is not needed.
        a.close();
        JoinResult c = PeerSetup.joinOrLoad(tmp.resolve("third"), bt.localAddress(), token, "site-b", PeerRole.EDGE,
                new PeerAddress("127.0.0.1", 2), PUZZLE_BITS, SystemClock.INSTANCE).get(15, TimeUnit.SECONDS);
        assertEquals(PeerRole.EDGE, c.credentials().role());

        // Restart: credentials come from the data dir, no bootstrap contacted (it is closed).
        JoinResult bAgain = PeerSetup.joinOrLoad(second, a.localAddress(), token, "site-b", PeerRole.SUPER,
                new PeerAddress("127.0.0.1", 1), PUZZLE_BITS, SystemClock.INSTANCE).get(5, TimeUnit.SECONDS);
        NodeId bId = b.credentials().nodeId();
        assertEquals(bId, bAgain.credentials().nodeId());
        assertTrue(bAgain.credentials().clusterCa(SystemClock.INSTANCE).isPresent());
    }
}
