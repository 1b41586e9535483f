package io.starling.core.join;

import io.starling.core.identity.PeerIdentity;
import io.starling.core.net.PeerAddress;
import io.starling.core.security.ClusterCa;
import io.starling.core.security.JoinToken;
import io.starling.core.security.PeerCredentials;
import io.starling.core.security.PeerRole;
import io.starling.core.time.Clock;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What {@code starling init} and {@code starling peer} do before the transport starts: create or
 * join a cluster once, then reuse the credentials saved in the data dir on every restart.
 */
public final class PeerSetup {
    private PeerSetup() {}

    /** Credentials of this peer and, on first initialization only, the token to print. */
    public record InitResult(PeerCredentials credentials, Optional<JoinToken> token) {}

    /**
     * First super-peer of a new cluster: creates the CA, the identity and a join token, saves them
     * in {@code dataDir} (only the token's hash is kept). On an initialized data dir, loads it.
     */
    public static InitResult init(Path dataDir, String site, int puzzleBits, Clock clock) {
        if (PeerCredentials.existIn(dataDir)) {
            return new InitResult(PeerCredentials.load(dataDir), Optional.empty());
        }
        ClusterCa ca = ClusterCa.create(site, clock);
        JoinToken token = JoinToken.generate(ca.publicKeyHash());
        PeerCredentials creds = PeerCredentials.bootstrap(ca, PeerIdentity.generate(puzzleBits), site, token.hash());
        creds.save(dataDir);
        return new InitResult(creds, Optional.of(token));
    }

    /**
     * Joins through {@code bootstrap} with {@code token} and saves the credentials, or, when
     * {@code dataDir} already holds credentials, loads them (no contacts then: the caller starts
     * from the bootstrap address). Fails with a {@link JoinException} with a one-line reason.
     */
    public static CompletableFuture<JoinResult> joinOrLoad(Path dataDir, PeerAddress bootstrap, JoinToken token, String site,
            PeerRole role, PeerAddress advertisedAddress, int puzzleBits, Clock clock) {
        if (PeerCredentials.existIn(dataDir)) {
            return CompletableFuture.completedFuture(new JoinResult(PeerCredentials.load(dataDir), List.of()));
        }
        PeerIdentity identity = PeerIdentity.generate(puzzleBits);
        return JoinClient.join(bootstrap, token, identity, site, role, advertisedAddress, clock).thenApply(result -> {
            result.credentials().save(dataDir);
            return result;
        });
    }
}
