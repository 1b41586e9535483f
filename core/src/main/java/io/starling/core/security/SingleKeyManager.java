package io.starling.core.security;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A key manager holding exactly one key and its chain, offered for every key type that matches the
 * key's algorithm ("EdDSA" for identity keys, "EC" for P-256). JSSE asks per signature scheme; a
 * null answer lets it try the next one. No key store, so no password-based encryption of the key.
 */
final class SingleKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "starling";
    private final PrivateKey key;
    private final X509Certificate[] chain;

    SingleKeyManager(PrivateKey key, X509Certificate[] chain) {
        if (chain.length == 0) {
            throw new IllegalArgumentException("a key needs its certificate chain");
        }
        this.key = key;
        this.chain = chain.clone();
    }

    /** "EdDSA", "EC", or a TLS 1.2 style "EC_EC": the part before '_' names the key algorithm. */
    private boolean matches(String keyType) {
        if (keyType == null) {
            return false;
        }
        int cut = keyType.indexOf('_');
        String algorithm = cut < 0 ? keyType : keyType.substring(0, cut);
        return algorithm.equals(key.getAlgorithm()) && algorithm.equals(chain[0].getPublicKey().getAlgorithm());
    }

    private String aliasFor(String[] keyTypes) {
        if (keyTypes != null) {
            for (String t : keyTypes) {
                if (matches(t)) {
                    return ALIAS;
                }
            }
        }
        return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return matches(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return aliasFor(keyTypes);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyTypes);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return matches(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return matches(keyType) ? ALIAS : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return matches(keyType) ? ALIAS : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }
}
