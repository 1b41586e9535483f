package io.starling.cli.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.starling.core.net.Contact;
import io.starling.core.net.NodeId;
import io.starling.core.net.PeerAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class InjectedWanDelayTest {
    private static Contact contact(int idByte, String site, int port) {
        byte[] id = new byte[NodeId.BYTES];
        id[0] = (byte) idByte;
        return new Contact(NodeId.of(id), new PeerAddress("127.0.0.1", port), site, true);
    }

    @Test
    void delaysHalfTheRttOnlyTowardsPeersKnownToBeInAnotherSite() {
        InjectedWanDelay d = new InjectedWanDelay("a", 250);
        d.learn(List.of(contact(1, "a", 7001), contact(2, "b", 7002)));
        assertEquals(0, d.artificialDelayMillis(new PeerAddress("127.0.0.1", 7001)));
        assertEquals(125, d.artificialDelayMillis(new PeerAddress("127.0.0.1", 7002)));
        // never seen in a contact (e.g. an edge peer of our own site): not delayed
        assertEquals(0, d.artificialDelayMillis(new PeerAddress("127.0.0.1", 7003)));
        // an address any contact placed in our site is never delayed
        d.learn(List.of(contact(3, "a", 7002)));
        assertEquals(0, d.artificialDelayMillis(new PeerAddress("127.0.0.1", 7002)));
    }

    @Test
    void rejectsNegativeDelay() {
        assertThrows(IllegalArgumentException.class, () -> new InjectedWanDelay("a", -1));
    }
}
