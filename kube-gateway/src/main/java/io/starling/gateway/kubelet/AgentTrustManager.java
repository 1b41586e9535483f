package io.starling.gateway.kubelet;

import io.starling.core.security.PeerCertificates;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Accepts a node agent's server certificate when it chains to the cluster CA and is the peer
 * certificate of the peer the Node object names ({@code starling.io/peer-id}). Peer certificates
 * carry no host names or IPs, so this replaces host-name verification: a peer cannot stand in for
 * another node's agent. Being an {@link X509ExtendedTrustManager}, the JDK does not add its own
 * host-name check on top (the JDK HTTP client always asks for one).
 */
final class AgentTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager caOnly;
    private final X509Certificate caCertificate;
    private final String expectedPeerId;

    /** @param expectedPeerId hex node id the agent's certificate must bind */
    AgentTrustManager(X509Certificate caCertificate, String expectedPeerId) {
        this.caCertificate = caCertificate;
        this.expectedPeerId = expectedPeerId.toLowerCase(Locale.ROOT);
        this.caOnly = caOnly(caCertificate);
    }

    private static X509ExtendedTrustManager caOnly(X509Certificate ca) {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setCertificateEntry("cluster-ca", ca);
            TrustManagerFactory f = TrustManagerFactory.getInstance("PKIX");
            f.init(ks);
            for (TrustManager tm : f.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    return x;
                }
            }
            throw new IllegalStateException("no X.509 trust manager");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build the cluster CA trust manager: " + e.getMessage(), e);
        }
    }

    private void check(X509Certificate[] chain, String authType) throws CertificateException {
        caOnly.checkServerTrusted(chain, authType); // the chain, without a host-name check
        String actual;
        try {
            actual = PeerCertificates.nodeIdOf(chain[0]).toHex();
        } catch (IllegalArgumentException e) {
            throw new CertificateException("the node agent's certificate is not a peer certificate: " + e.getMessage());
        }
        if (!actual.equals(expectedPeerId)) {
            throw new CertificateException("the node agent's certificate is for peer " + actual + ", but the Node names peer "
                    + expectedPeerId);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("client-side trust manager");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("client-side trust manager");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("client-side trust manager");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[] {caCertificate};
    }
}
