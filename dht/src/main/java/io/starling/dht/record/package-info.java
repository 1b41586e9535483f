/**
 * DHT records: the signed, versioned unit of replication (location key = SHA-1 of a collection
 * path, content key = object name), their canonical byte encoding, and the deterministic merge of
 * two versions (a join-semilattice: commutative, associative, idempotent; tombstones win over
 * older writes).
 */
package io.starling.dht.record;
