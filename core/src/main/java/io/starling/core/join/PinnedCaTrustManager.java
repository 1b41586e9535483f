package io.starling.core.join;

import io.starling.core.security.Keys;
import io.starling.core.time.Clock;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Date;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts a bootstrap server only if its chain contains a CA certificate whose public-key hash is
 * the one in the join token and the server certificate is signed by that CA and currently valid.
 * A man in the middle cannot produce such a chain without the CA key. Remembers a mismatch so the
 * join client can say why it refused.
 */
final class PinnedCaTrustManager extends X509ExtendedTrustManager {
    private final byte[] caHash;
    private final Clock clock;
    private volatile String refusal;

    PinnedCaTrustManager(byte[] caHash, Clock clock) {
        this.caHash = caHash.clone();
        this.clock = clock;
    }

    String refusal() {
        return refusal;
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length < 2) {
            throw refuse("bootstrap sent no CA certificate");
        }
        X509Certificate ca = null;
        for (int i = 1; i < chain.length; i++) {
            if (MessageDigest.isEqual(caHash, Keys.publicKeyHash(chain[i].getPublicKey()))) {
                ca = chain[i];
            }
        }
        if (ca == null) {
            throw refuse("bootstrap's CA does not match the token's CA hash (wrong cluster or man in the middle)");
        }
        try {
            chain[0].verify(ca.getPublicKey());
            Date now = new Date(clock.wallMillis());
            chain[0].checkValidity(now);
            ca.checkValidity(now);
        } catch (GeneralSecurityException e) {
            throw refuse("bootstrap certificate is not valid under the pinned CA: " + e.getMessage());
        }
    }

    private CertificateException refuse(String why) {
        refusal = why;
        return new CertificateException(why);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("client side only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
