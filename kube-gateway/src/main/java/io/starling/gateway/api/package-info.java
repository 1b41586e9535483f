/**
 * The Kubernetes API semantics of the gateway: routing, discovery, OpenAPI, reads, writes
 * (create/update/patch/delete with server-owned fields, defaulting, validation and optimistic
 * concurrency), watches, subresources (status, scale, log) and seed objects, all over the
 * {@link io.starling.dht.store.ClusterStore}. Objects travel as Jackson trees of their JSON form.
 * Every resource request is authorized first ({@link io.starling.gateway.api.Authorizer}); lists
 * and watches show only what the resulting {@link io.starling.gateway.api.Access} allows.
 */
package io.starling.gateway.api;
