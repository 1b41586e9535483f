package io.starling.cli;

import io.starling.cli.peer.DataDir;
import io.starling.cli.peer.PeerSettings;
import io.starling.core.identity.PeerIdentity;
import io.starling.core.join.JoinClient;
import io.starling.core.join.JoinException;
import io.starling.core.join.JoinResult;
import io.starling.core.net.Contact;
import io.starling.core.net.PeerAddress;
import io.starling.core.security.JoinToken;
import io.starling.core.security.PeerCredentials;
import io.starling.core.security.PeerRole;
import io.starling.core.time.SystemClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code starling peer}: joins a cluster (first start) or restarts a peer from its data dir. */
@Command(name = "peer", mixinStandardHelpOptions = true,
        description = "Join a cluster with a bootstrap address and a join token, or restart a peer from --data-dir.")
final class PeerCommand implements Callable<Integer> {
    @Mixin
    PeerOptions options;

    @Option(names = "--bootstrap", split = ",", description = "HOST:PORT of a super-peer to join through")
    List<String> bootstrap = new ArrayList<>();

    @Option(names = "--token", description = "join token printed by 'starling init'")
    String token;

    @Option(names = "--super", description = "join as a super-peer (DHT member, API server)")
    boolean superPeer;

    /** How long a new peer keeps trying to reach its bootstrap peers before it gives up. */
    static final long JOIN_DEADLINE_MILLIS = 60_000;
    static final long JOIN_BACKOFF_MAX_MILLIS = 4_000;
    static final long JOIN_ATTEMPT_TIMEOUT_MILLIS = 10_000;

    /**
     * Joins through the bootstrap peers in turn. A failure on the way (no answer, connection lost:
     * a busy or restarting bootstrap, a flaky link) is retried with back-off until
     * {@link #JOIN_DEADLINE_MILLIS}; a refusal (bad token, wrong CA) is final at once.
     */
    private JoinResult join(List<PeerAddress> boot, JoinToken token, CompletableFuture<PeerIdentity> identity,
                            PeerAddress advertised) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_DEADLINE_MILLIS);
        long backoff = 250;
        for (int attempt = 0; ; attempt++) {
            PeerAddress through = boot.get(attempt % boot.size());
            try {
                return JoinClient.join(through, token, identity, options.site, superPeer ? PeerRole.SUPER : PeerRole.EDGE,
                        advertised, SystemClock.INSTANCE, JOIN_ATTEMPT_TIMEOUT_MILLIS).get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                boolean refused = !(e.getCause() instanceof JoinException) || e.getCause().getMessage().startsWith("join refused");
                if (refused || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff) > deadline) {
                    throw e;
                }
                System.out.printf("join through %s failed (%s); trying again in %d ms%n", through,
                        e.getCause().getMessage(), backoff);
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, JOIN_BACKOFF_MAX_MILLIS);
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        DataDir dir = new DataDir(options.dataDir);
        List<PeerAddress> boot = new ArrayList<>();
        for (String b : bootstrap) {
            boot.add(PeerAddress.parse(b));
        }
        PeerCredentials credentials;
        List<Contact> contacts;
        if (PeerCredentials.existIn(dir.credentials())) {
            credentials = PeerCredentials.load(dir.credentials());
            contacts = dir.loadContacts();
        } else {
            if (boot.isEmpty() || token == null) {
                System.err.println("starling: a new peer needs --bootstrap HOST:PORT and --token TOKEN");
                return 2;
            }
            if (options.site == null) {
                System.err.println("starling: --site is required");
                return 2;
            }
            JoinToken parsed = JoinToken.parse(token);
            dir.create();
            // The S/Kademlia puzzle (and loading the Ed25519 code from BouncyCastle's signed jar) runs on its
            // own thread while the join link comes up: the request waits for both.
            CompletableFuture<PeerIdentity> identity = new CompletableFuture<>();
            Thread maker = new Thread(() -> {
                long g0 = System.nanoTime();
                try {
                    identity.complete(PeerIdentity.generate(PeerIdentity.DEFAULT_PUZZLE_BITS));
                    System.out.printf("identity generated in %d ms (S/Kademlia puzzle of %d bits)%n",
                            (System.nanoTime() - g0) / 1_000_000, PeerIdentity.DEFAULT_PUZZLE_BITS);
                } catch (RuntimeException e) {
                    identity.completeExceptionally(e);
                }
            }, "starling-identity");
            maker.setDaemon(true);
            maker.start();
            PeerAddress listen = PeerAddress.parse(options.listen == null ? "127.0.0.1:7100" : options.listen);
            PeerAddress advertised = options.advertise == null ? listen : PeerAddress.parse(options.advertise);
            long t0 = System.nanoTime();
            JoinResult joined = join(boot, parsed, identity, advertised);
            System.out.printf("joined in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            credentials = joined.credentials();
            credentials.save(dir.credentials());
            contacts = joined.contacts();
            dir.saveContacts(contacts);
        }
        boolean isSuper = credentials.role() == PeerRole.SUPER;
        PeerSettings settings = options.resolve(dir, isSuper, boot,
                options.site == null ? credentials.site() + "-" + credentials.nodeId().shortHex()
                        : options.site + "-" + credentials.nodeId().shortHex());
        return PeerRunner.runForeground(settings, credentials, contacts);
    }
}
