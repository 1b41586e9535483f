package io.starling.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.starling.core.identity.PeerIdentity;
import io.starling.core.security.ClusterCa;
import io.starling.core.security.JoinToken;
import io.starling.core.security.JoinTokenHash;
import io.starling.core.security.PeerCredentials;
import io.starling.core.security.PeerRole;
import io.starling.core.time.SystemClock;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminCredentialsUpgradeTest {
    @TempDir
    Path dir;

    private final ClusterCa ca = ClusterCa.create("test", SystemClock.INSTANCE);
    private final JoinToken token = JoinToken.generate(ca.publicKeyHash());
    private final JoinTokenHash tokenHash = JoinTokenHash.of(token.tokenId(), token.secret());

    @Test
    void adminCredentialsFromBeforeOperatorRolesBecomeOperatorOnce() {
        PeerIdentity admin = PeerIdentity.generate(2);
        new PeerCredentials(admin, ca.issuePeerCertificate(admin.publicKey(), "a", PeerRole.EDGE), ca.certificate(),
                ca.privateKey(), tokenHash).save(dir);

        PeerCredentials upgraded = AdminClient.upgraded(PeerCredentials.load(dir), dir);
        assertEquals(PeerRole.OPERATOR, upgraded.role());
        assertEquals(admin.nodeId(), upgraded.nodeId());
        PeerCredentials reloaded = PeerCredentials.load(dir);
        assertEquals(PeerRole.OPERATOR, reloaded.role(), "written back");
        assertEquals(true, reloaded.clusterCa(SystemClock.INSTANCE).isPresent(), "the CA key stays");
    }

    @Test
    void aPeersOwnCredentialsAreNeverTurnedIntoAnOperators() {
        PeerIdentity superPeer = PeerIdentity.generate(2);
        PeerCredentials.bootstrap(ca, superPeer, "a", tokenHash).save(dir.resolve("super"));
        assertEquals(PeerRole.SUPER, AdminClient.upgraded(PeerCredentials.load(dir.resolve("super")), dir.resolve("super")).role());

        PeerIdentity edge = PeerIdentity.generate(2);
        new PeerCredentials(edge, ca.issuePeerCertificate(edge.publicKey(), "a", PeerRole.EDGE), ca.certificate(), null, null)
                .save(dir.resolve("edge"));
        assertEquals(PeerRole.EDGE, AdminClient.upgraded(PeerCredentials.load(dir.resolve("edge")), dir.resolve("edge")).role(),
                "an edge peer holds no CA key");
    }
}
