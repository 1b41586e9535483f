package io.starling.core.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.starling.core.identity.PeerIdentity;
import io.starling.core.net.NodeId;
import java.security.cert.Certificate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PeerRolesTest {
    private final TestPki pki = new TestPki();
    private final PeerRoles roles = new PeerRoles();

    @Test
    void theRoleOfEachAuthenticatedPeerIsKnownByItsNodeId() {
        TestPki.Peer edge = pki.peer("site-a", PeerRole.EDGE);
        TestPki.Peer operator = pki.peer("site-a", PeerRole.OPERATOR);
        NodeId edgeId = roles.authenticate(new Certificate[] {edge.certificate(), pki.ca.certificate()});
        NodeId operatorId = roles.authenticate(new Certificate[] {operator.certificate(), pki.ca.certificate()});

        assertEquals(edge.identity().nodeId(), edgeId);
        assertEquals(Optional.of(PeerRole.EDGE), roles.roleOf(edgeId));
        assertTrue(roles.has(operatorId, PeerRole.OPERATOR));
        assertFalse(roles.has(edgeId, PeerRole.OPERATOR));
        assertEquals(Optional.empty(), roles.roleOf(PeerIdentity.generate(2).nodeId()), "never authenticated");
    }

    @Test
    void aReissuedCertificateReplacesTheRole() {
        TestPki.Peer edge = pki.peer("site-a", PeerRole.EDGE);
        roles.authenticate(new Certificate[] {edge.certificate()});
        var upgraded = pki.ca.issuePeerCertificate(edge.identity().publicKey(), "site-a", PeerRole.OPERATOR);
        roles.authenticate(new Certificate[] {upgraded});
        assertTrue(roles.has(edge.identity().nodeId(), PeerRole.OPERATOR));
    }
}
