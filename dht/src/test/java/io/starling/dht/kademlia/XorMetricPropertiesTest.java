package io.starling.dht.kademlia;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;

import io.starling.core.net.NodeId;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

class XorMetricPropertiesTest {
    static Gen<NodeId> ids() {
        Gen<Long> l = SourceDSL.longs().all();
        Gen<Integer> i = SourceDSL.integers().all();
        return l.zip(l, i, (a, b, c) -> {
            byte[] bytes = new byte[NodeId.BYTES];
            for (int k = 0; k < 8; k++) {
                bytes[k] = (byte) (a >>> (8 * k));
                bytes[8 + k] = (byte) (b >>> (8 * k));
            }
            for (int k = 0; k < 4; k++) {
                bytes[16 + k] = (byte) (c >>> (8 * k));
            }
            return NodeId.of(bytes);
        });
    }

    static BigInteger dist(NodeId a, NodeId b) {
        return new BigInteger(1, a.xor(b).toBytes());
    }

    @Test
    void distanceToSelfIsZeroAndOnlyToSelf() {
        qt().forAll(ids(), ids()).check((a, b) -> dist(a, a).signum() == 0
                && (a.equals(b) || dist(a, b).signum() > 0));
    }

    @Test
    void distanceIsSymmetric() {
        qt().forAll(ids(), ids()).check((a, b) -> dist(a, b).equals(dist(b, a)));
    }

    @Test
    void triangleInequalityHoldsViaXorIdentity() {
        // d(a,c) = d(a,b) xor d(b,c) <= d(a,b) + d(b,c)
        qt().forAll(ids(), ids(), ids()).check((a, b, c) ->
                dist(a, c).equals(dist(a, b).xor(dist(b, c)))
                        && dist(a, c).compareTo(dist(a, b).add(dist(b, c))) <= 0);
    }

    @Test
    void compareDistanceAgreesWithNumericDistance() {
        qt().forAll(ids(), ids(), ids()).check((t, a, b) ->
                Integer.signum(t.compareDistance(a, b)) == dist(t, a).compareTo(dist(t, b)));
    }

    @Test
    void commonPrefixLengthIsLeadingZerosOfDistance() {
        qt().forAll(ids(), ids()).check((a, b) ->
                a.commonPrefixLength(b) == (a.equals(b) ? NodeId.BITS : NodeId.BITS - dist(a, b).bitLength()));
    }

    @Test
    void unidirectional() {
        // for a given point and distance there is exactly one other point: b = a xor d
        qt().forAll(ids(), ids()).check((a, b) -> a.xor(a.xor(b)).equals(b));
        assertEquals(0, NodeId.of(new byte[20]).leadingZeroBits() - NodeId.BITS);
    }
}
