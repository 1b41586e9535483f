package io.starling.gateway.api;

import io.starling.gateway.Authenticator.User;

/**
 * Decides whether an authenticated user may perform {@code verb} (get, list, watch, create,
 * update, patch, delete, deletecollection) on {@code target}; answers what the user may see, or
 * throws a 403 {@link ApiException}. Decided before the store is read, so the answer does not
 * depend on whether the object exists.
 */
@FunctionalInterface
public interface Authorizer {
    Access authorize(User user, String verb, Target target);

    Authorizer ALLOW_ALL = (user, verb, target) -> Access.ALL;
}
