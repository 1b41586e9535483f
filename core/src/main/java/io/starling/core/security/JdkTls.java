package io.starling.core.security;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.starling.core.random.SecureRandomSource;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Netty TLS contexts made directly from a JDK {@link SSLContext} (Netty's {@link JdkSslContext}
 * wrapper), for the contexts every peer, edge peers included, builds at start-up.
 *
 * <p>Why not Netty's SslContextBuilder: the class initializer of its JDK server context test-parses
 * a bundled RSA key, which, with bcpkix on the class path, loads and instantiates the whole
 * BouncyCastle JCA provider (~600 classes and a few MiB of heap and metaspace on a small device,
 * 0.2-0.4 s of start-up); and each context stores its key in a password-protected PKCS#12 key
 * store (10,000 PBKDF2 rounds per context). Here the key stays in a {@link SingleKeyManager} and
 * trust is a PKIX trust manager over the CA certificate alone. The engines behave as the builder's
 * did: same protocols, Netty's default cipher suites, no host-name check (peers are identified by
 * node id), client authentication as asked.
 */
public final class JdkTls {
    private JdkTls() {}

    /** An SSLContext presenting {@code key} with {@code chain} (if key is non-null) and trusting what {@code trust} trusts. */
    public static SSLContext sslContext(PrivateKey key, X509Certificate[] chain, TrustManager trust) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            KeyManager[] keys = key == null ? new KeyManager[0] : new KeyManager[] {new SingleKeyManager(key, chain)};
            ctx.init(keys, new TrustManager[] {trust}, SecureRandomSource.get());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context: " + e.getMessage(), e);
        }
    }

    /** A PKIX trust manager that accepts chains issued by {@code ca} only. */
    public static TrustManager trusting(X509Certificate ca) {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setCertificateEntry("ca", ca);
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init(ks);
            return f.getTrustManagers()[0];
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust manager: " + e.getMessage(), e);
        }
    }

    /** The server side of {@code ctx}: {@code clientAuth} NONE, OPTIONAL or REQUIRE. */
    public static SslContext server(SSLContext ctx, ClientAuth clientAuth, String... protocols) {
        return new JdkSslContext(ctx, false, null, IdentityCipherSuiteFilter.INSTANCE, null, clientAuth, protocols.clone(),
                false);
    }

    /** The client side of {@code ctx}. */
    public static SslContext client(SSLContext ctx, String... protocols) {
        return new JdkSslContext(ctx, true, null, IdentityCipherSuiteFilter.INSTANCE, null, ClientAuth.NONE,
                protocols.clone(), false);
    }
}
