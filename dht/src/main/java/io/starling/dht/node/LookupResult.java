package io.starling.dht.node;

import io.starling.core.net.Contact;
import io.starling.core.net.NodeId;
import java.util.List;

/**
 * Outcome of an iterative lookup.
 *
 * @param closest the k closest live super-peers found (self excluded), nearest first
 * @param hops rounds until the closest node was found (see io.starling.dht.kademlia.NodeLookup)
 * @param queried how many peers were asked
 */
public record LookupResult(NodeId target, List<Contact> closest, int hops, int queried) {
    public LookupResult {
        closest = List.copyOf(closest);
    }
}
