/** Peer identity: Ed25519 keys, node ids derived from them (S/Kademlia puzzle), signatures. */
package io.starling.core.identity;
