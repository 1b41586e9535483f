package io.starling.dht.record;

import io.starling.core.identity.PeerIdentity;

/**
 * How a super-peer signs the records it accepts and how every peer checks them. Production uses
 * {@link #ED25519} (the signature covers {@link RecordCodec#canonical}); the simulator injects a
 * cheap deterministic scheme so that thousands of simulated super-peers can sign and check every
 * record on the same code path without paying for elliptic-curve arithmetic.
 */
public interface RecordSignatures {
    /** {@code unsigned} (whose writer is {@code signer}) with signer key and signature filled in. */
    DhtRecord sign(DhtRecord unsigned, PeerIdentity signer);

    /** True when the record is signed by the key of its writer and the signature covers every other field. */
    boolean verify(DhtRecord record);

    RecordSignatures ED25519 = new RecordSignatures() {
        @Override
        public DhtRecord sign(DhtRecord unsigned, PeerIdentity signer) {
            return unsigned.signedBy(signer);
        }

        @Override
        public boolean verify(DhtRecord record) {
            return record.verify();
        }

        @Override
        public String toString() {
            return "Ed25519";
        }
    };
}
