package io.starling.core.net;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A 160-bit Kademlia identifier. Node IDs are derived from a peer's public key (see
 * io.starling.core.identity), record keys from SHA-1 of their location. Immutable; ordering is
 * unsigned big-endian, so sorting is deterministic.
 */
public final class NodeId implements Comparable<NodeId> {
    public static final int BYTES = 20;
    public static final int BITS = BYTES * 8;

    private final byte[] bytes;
    private final int hash;

    private NodeId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    public static NodeId of(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("node id must be " + BYTES + " bytes, got " + bytes.length);
        }
        return new NodeId(bytes.clone());
    }

    public static NodeId fromHex(String hex) {
        return of(HexFormat.of().parseHex(hex));
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    public int byteAt(int i) {
        return bytes[i] & 0xff;
    }

    /** XOR distance to {@code other}, as an id (compare distances with {@link #compareTo}). */
    public NodeId xor(NodeId other) {
        byte[] d = new byte[BYTES];
        for (int i = 0; i < BYTES; i++) {
            d[i] = (byte) (bytes[i] ^ other.bytes[i]);
        }
        return new NodeId(d);
    }

    /** Compares the XOR distances of {@code a} and {@code b} to this id without allocating. */
    public int compareDistance(NodeId a, NodeId b) {
        for (int i = 0; i < BYTES; i++) {
            int da = (a.bytes[i] ^ bytes[i]) & 0xff;
            int db = (b.bytes[i] ^ bytes[i]) & 0xff;
            if (da != db) {
                return Integer.compare(da, db);
            }
        }
        return 0;
    }

    /** Length of the common prefix with {@code other} in bits (160 when equal). */
    public int commonPrefixLength(NodeId other) {
        for (int i = 0; i < BYTES; i++) {
            int x = (bytes[i] ^ other.bytes[i]) & 0xff;
            if (x != 0) {
                return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
            }
        }
        return BITS;
    }

    /** Number of leading zero bits (used by the S/Kademlia crypto puzzle). */
    public int leadingZeroBits() {
        return commonPrefixLength(new NodeId(new byte[BYTES]));
    }

    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** First 8 hex digits, for logs and tables. */
    public String shortHex() {
        return toHex().substring(0, 8);
    }

    @Override
    public int compareTo(NodeId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeId n && Arrays.equals(bytes, n.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return toHex();
    }
}
