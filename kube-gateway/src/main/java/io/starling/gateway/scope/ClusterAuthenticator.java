package io.starling.gateway.scope;

import io.starling.gateway.Authenticator;
import io.starling.gateway.http.ApiRequest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Who is calling, as kube-apiserver decides it: a TLS client certificate (already verified against
 * the cluster CA by the TLS layer) names the user in its subject CN and the groups in its O
 * attributes; otherwise {@code Authorization: Bearer TOKEN} names the user of the scope member
 * holding the token's hash. Neither, or an unknown token, is 401. A certificate wins over a token.
 */
public final class ClusterAuthenticator implements Authenticator {
    private final Supplier<ScopeSnapshot> scopes;

    public ClusterAuthenticator(Supplier<ScopeSnapshot> scopes) {
        this.scopes = scopes;
    }

    @Override
    public Optional<User> authenticate(ApiRequest request) {
        if (!request.clientCertificates().isEmpty()) {
            return fromCertificate(request.clientCertificates().get(0));
        }
        String auth = request.header("authorization");
        if (auth == null) {
            return Optional.empty();
        }
        String a = auth.trim();
        if (a.length() <= 7 || !a.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return Optional.empty();
        }
        String token = a.substring(7).trim();
        return scopes.get().userForTokenHash(Tokens.sha256Hex(token)).map(u -> new User(u, List.of()));
    }

    static Optional<User> fromCertificate(X509Certificate cert) {
        try {
            LdapName dn = new LdapName(cert.getSubjectX500Principal().getName());
            String cn = null;
            List<String> groups = new ArrayList<>();
            for (Rdn rdn : dn.getRdns()) { // RFC 2253 order is reversed; Rdn list is in DER order
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    cn = rdn.getValue().toString();
                } else if (rdn.getType().equalsIgnoreCase("O")) {
                    groups.add(rdn.getValue().toString());
                }
            }
            return cn == null || cn.isEmpty() ? Optional.empty() : Optional.of(new User(cn, groups));
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }
}
