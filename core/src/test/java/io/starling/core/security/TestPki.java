package io.starling.core.security;

import io.starling.core.identity.PeerIdentity;
import io.starling.core.net.netty.NettyTls;
import io.starling.core.time.SystemClock;
import java.security.cert.X509Certificate;

/** Test fixture: a cluster CA and peers with certificates from it (puzzle difficulty kept low). */
public final class TestPki {
    public final ClusterCa ca;

    public TestPki() {
        this.ca = ClusterCa.create("test", SystemClock.INSTANCE);
    }

    public Peer peer(String site, PeerRole role) {
        PeerIdentity id = PeerIdentity.generate(2);
        X509Certificate cert = ca.issuePeerCertificate(id.publicKey(), site, role);
        return new Peer(id, cert, PeerTls.forPeer(id, cert, ca.certificate()));
    }

    public Peer peer() {
        return peer("site-a", PeerRole.SUPER);
    }

    public record Peer(PeerIdentity identity, X509Certificate certificate, NettyTls tls) {}
}
