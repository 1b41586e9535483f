/**
 * Tenancy: the Scope resource ({@code scopes.starling.io/v1alpha1}), the cache of all scopes every
 * super-peer keeps from a watch on the store ({@link io.starling.gateway.scope.ScopeDirectory}), who
 * is calling (client certificate of the cluster CA or bearer token,
 * {@link io.starling.gateway.scope.ClusterAuthenticator}) and what they may do
 * ({@link io.starling.gateway.scope.ScopeAuthorizer}, a pure function of the scope snapshot).
 */
package io.starling.gateway.scope;
