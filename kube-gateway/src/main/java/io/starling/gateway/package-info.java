/**
 * The kube-gateway: every super-peer's Kubernetes API server ({@link io.starling.gateway.KubeApiServer}),
 * its configuration and the authentication hook. Stock kubectl and client libraries talk to it.
 */
package io.starling.gateway;
