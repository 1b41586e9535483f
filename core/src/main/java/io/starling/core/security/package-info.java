/**
 * Cluster PKI: the cluster CA (ECDSA P-256), peer certificates binding Ed25519 identity keys to node
 * ids, API-server and kubeconfig-user certificates, Netty TLS contexts that trust only the CA, join
 * tokens, and the credentials a peer persists in its data dir.
 */
package io.starling.core.security;
