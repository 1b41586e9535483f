package io.starling.dht.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.starling.core.identity.PeerIdentity;
import io.starling.core.net.Contact;
import io.starling.core.net.PeerAddress;
import io.starling.core.net.WireRegistry;
import io.starling.core.net.netty.Envelope;
import io.starling.core.net.netty.KryoCodec;
import io.starling.core.random.SeededRandom;
import io.starling.dht.kube.KubeValueMerge;
import io.starling.dht.node.DhtMessages;
import io.starling.dht.record.DhtRecord;
import io.starling.dht.record.FieldClocks;
import io.starling.dht.record.RecordCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Records with merge clocks survive the production wire codec and the storage codec, still verifying. */
class CrossSiteWireTest {
    @Test
    void recordsWithClocksRoundTripAndVerify() {
        PeerIdentity id = PeerIdentity.deterministic(new SeededRandom(5), 0);
        byte[] json = "{\"metadata\":{\"name\":\"x\",\"uid\":\"u\",\"labels\":{\"a\":\"1\"}},\"spec\":{\"replicas\":2}}"
                .getBytes(StandardCharsets.UTF_8);
        FieldClocks clocks = KubeValueMerge.INSTANCE.clocksForWrite(null, json, new FieldClocks.Stamp(77, "edge-1"));
        DhtRecord r = DhtRecord.unsigned("default/apps/deployments/ns", "x", json, 77, id.nodeId(), "edge-1", 0, clocks)
                .signedBy(id);
        assertTrue(r.verify());
        DhtRecord stored = RecordCodec.decode(RecordCodec.encode(r));
        assertEquals(r, stored);
        assertTrue(stored.verify());
        assertEquals(clocks, stored.fieldClocks());

        WireRegistry reg = new WireRegistry();
        DhtMessages.register(reg);
        ClusterMessages.register(reg);
        KryoCodec codec = new KryoCodec(reg);
        Contact origin = new Contact(id.nodeId(), new PeerAddress("peer.a", 7000), "edge-1", true);
        Envelope out = Envelope.request(9, origin.address(), new ClusterMessages.PrimaryMerge(origin, r.collection(), List.of(r), true));
        ClusterMessages.PrimaryMerge back = (ClusterMessages.PrimaryMerge) codec.decode(codec.encode(out)).payload();
        assertEquals(r, back.records().get(0));
        assertTrue(back.records().get(0).verify());
        assertTrue(back.forwarded());
        // a tampered clock breaks the signature
        byte[] other = KubeValueMerge.INSTANCE.clocksForWrite(null, json, new FieldClocks.Stamp(78, "edge-1")).encode();
        DhtRecord forged = new DhtRecord(r.collection(), r.name(), r.value(), r.revision(), r.writer(), r.homeSite(), 0,
                r.signerKey(), r.signature(), other);
        assertTrue(!forged.verify());
    }
}
