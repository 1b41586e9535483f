package io.starling.gateway;

import io.starling.gateway.http.ApiRequest;
import java.util.List;
import java.util.Optional;

/**
 * Decides who sent a request from its headers (e.g. a bearer token) and TLS client certificate.
 * An empty result answers 401 Unauthorized; {@link io.starling.gateway.api.Authorizer} decides what the user may do.
 */
@FunctionalInterface
public interface Authenticator {
    Optional<User> authenticate(ApiRequest request);

    /** An authenticated caller. */
    record User(String name, List<String> groups) {
        public User {
            groups = List.copyOf(groups);
        }
    }

    Authenticator ALLOW_ALL = r -> Optional.of(new User("system:anonymous", List.of("system:unauthenticated")));
}
