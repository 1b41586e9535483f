package io.starling.cli;

import io.starling.cli.peer.AdminMessages.AdminError;
import io.starling.cli.peer.PeerNode;
import io.starling.core.exec.ThreadEventLoop;
import io.starling.core.net.Message;
import io.starling.core.net.PeerAddress;
import io.starling.core.net.netty.NettyTransport;
import io.starling.core.net.netty.NettyTransportConfig;
import io.starling.core.security.PeerCredentials;
import io.starling.core.security.PeerRole;
import io.starling.core.time.SystemClock;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A short-lived, CA-authenticated link from the CLI to one peer, for operator commands. */
final class AdminClient implements AutoCloseable {
    static final long TIMEOUT_MILLIS = 15_000;

    private final ThreadEventLoop loop = new ThreadEventLoop("starling-cli");
    private final NettyTransport transport;

    AdminClient(Path credentialsDir) {
        if (!PeerCredentials.existIn(credentialsDir)) {
            loop.close();
            throw new IllegalArgumentException("no operator credentials in " + credentialsDir
                    + " (use --credentials DIR: the admin/ folder of the first super-peer's data dir, or of 'starling up')");
        }
        PeerCredentials creds = upgraded(PeerCredentials.load(credentialsDir), credentialsDir);
        NettyTransportConfig cfg = NettyTransportConfig.builder().bind("127.0.0.1", 0).build();
        transport = new NettyTransport(cfg, creds.tls(), creds.nodeId(), loop, PeerNode.wireRegistry());
    }

    Message call(PeerAddress peer, Message request) throws Exception {
        return call(peer, request, TIMEOUT_MILLIS);
    }

    Message call(PeerAddress peer, Message request, long timeoutMillis) throws Exception {
        Message reply = transport.request(peer, request, timeoutMillis).get(timeoutMillis + 1000, TimeUnit.MILLISECONDS);
        if (reply instanceof AdminError e) {
            throw new IllegalArgumentException(e.message());
        }
        return reply;
    }

    /**
     * Admin credentials written before operator roles existed are an edge certificate next to the CA
     * key (an edge peer never holds that key): re-issued once as operator for the same identity.
     */
    static PeerCredentials upgraded(PeerCredentials creds, Path dir) {
        if (creds.role() != PeerRole.EDGE) {
            return creds;
        }
        return creds.clusterCa(SystemClock.INSTANCE).map(ca -> {
            PeerCredentials operator = new PeerCredentials(creds.identity(),
                    ca.issuePeerCertificate(creds.identity().publicKey(), creds.site(), PeerRole.OPERATOR),
                    creds.caCertificate(), ca.privateKey(), creds.tokenHash().orElse(null));
            operator.save(dir);
            return operator;
        }).orElse(creds);
    }

    /** Default operator credentials: those of the default local cluster of 'starling up'. */
    static Path defaultCredentials() {
        String env = System.getenv("STARLING_CREDENTIALS");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return UpCommand.defaultDataDir().resolve("admin");
    }

    @Override
    public void close() {
        transport.close();
        loop.close();
    }
}
