/**
 * Secrets of scoped namespaces encrypted at rest: every super-peer publishes a signed X25519
 * key-agreement key ({@link io.starling.gateway.secrets.PeerKey}); each scope has random AES-256
 * keys stored only wrapped for the super-peers of the scope's sites
 * ({@link io.starling.gateway.secrets.KeyWrap}, {@link io.starling.gateway.secrets.ScopeKeyRing},
 * kept up to date by {@link io.starling.gateway.secrets.ScopeKeyKeeper}); and the super-peer's
 * store is wrapped in {@link io.starling.gateway.secrets.SealingClusterStore}, which seals Secret
 * data on write and opens it on read ({@link io.starling.gateway.secrets.SecretSeal}).
 */
package io.starling.gateway.secrets;
