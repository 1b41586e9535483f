/**
 * Joining a cluster with a bootstrap address and a join token: the request a certificate-less peer
 * sends, the service on super-peers that checks token, key puzzle and proof of possession and issues
 * the certificate, and the client that pins the CA by the token's hash.
 */
package io.starling.core.join;
