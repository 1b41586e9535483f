package io.starling.cli;

import io.starling.cli.peer.DataDir;
import io.starling.cli.peer.PeerSettings;
import io.starling.core.identity.PeerIdentity;
import io.starling.core.security.ClusterCa;
import io.starling.core.security.JoinToken;
import io.starling.core.security.JoinTokenHash;
import io.starling.core.security.PeerCredentials;
import io.starling.core.security.PeerRole;
import io.starling.core.time.SystemClock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code starling init}: creates a new cluster (CA, join token) and runs its first super-peer. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Start the first super-peer of a new cluster and print a join token.")
final class InitCommand implements Callable<Integer> {
    @Mixin
    PeerOptions options;

    @Override
    public Integer call() throws Exception {
        DataDir dir = new DataDir(options.dataDir);
        if (PeerCredentials.existIn(dir.credentials())) {
            System.err.println("starling: " + dir.root() + " already holds a peer; restart it with: starling peer --data-dir "
                    + dir.root());
            return 2;
        }
        if (options.site == null) {
            System.err.println("starling: --site is required");
            return 2;
        }
        dir.create();
        ClusterCa ca = ClusterCa.create("starling", SystemClock.INSTANCE);
        JoinToken token = JoinToken.generate(ca.publicKeyHash());
        JoinTokenHash tokenHash = JoinTokenHash.of(token.tokenId(), token.secret());
        PeerIdentity identity = PeerIdentity.generate(PeerIdentity.DEFAULT_PUZZLE_BITS);
        PeerCredentials credentials = PeerCredentials.bootstrap(ca, identity, options.site, tokenHash);
        credentials.save(dir.credentials());
        // Operator credentials for `starling dht|coords|image` and `starling kubeconfig`: a CA-issued operator certificate.
        PeerIdentity admin = PeerIdentity.generate(PeerIdentity.DEFAULT_PUZZLE_BITS);
        new PeerCredentials(admin, ca.issuePeerCertificate(admin.publicKey(), options.site, PeerRole.OPERATOR),
                ca.certificate(), ca.privateKey(), tokenHash).save(dir.admin());
        dir.writeSecret(dir.joinTokenFile(), token.print());

        PeerSettings settings = options.resolve(dir, true, List.of(), options.site + "-" + identity.nodeId().shortHex());
        System.out.println("join token: " + token.print());
        System.out.println("join more peers with:");
        System.out.println("  starling peer --site " + settings.site() + " --bootstrap " + settings.advertised()
                + " --token " + token.print() + " [--super] --listen HOST:PORT --data-dir DIR");
        return PeerRunner.runForeground(settings, credentials, List.of());
    }
}
