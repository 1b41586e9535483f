package io.starling.dht.node;

import java.util.Map;
import java.util.TreeMap;

/** Counters of one DHT member (single-threaded; read a {@link #snapshot}). */
public final class DhtMetrics {
    long lookups;
    long lookupHopsTotal;
    long requestsSent;
    long requestFailures;
    long requestsServed;
    long recordsStored;
    long recordsStale;
    /** Records refused because their signature did not verify (forged, altered or unsigned). */
    long recordsRejected;
    /** Messages whose claimed origin id differed from the authenticated sender. */
    long spoofedOrigins;
    /** Requests from authenticated senders that may not act as DHT members (not super-peers). */
    long nonMemberRequests;
    long contactsEvicted;
    long recordsRepublished;
    long recordsPurged;

    public long recordsRejected() {
        return recordsRejected;
    }

    public long spoofedOrigins() {
        return spoofedOrigins;
    }

    public long nonMemberRequests() {
        return nonMemberRequests;
    }

    public long lookups() {
        return lookups;
    }

    public long recordsStored() {
        return recordsStored;
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> m = new TreeMap<>();
        m.put("lookups", lookups);
        m.put("lookup_hops_total", lookupHopsTotal);
        m.put("requests_sent", requestsSent);
        m.put("request_failures", requestFailures);
        m.put("requests_served", requestsServed);
        m.put("records_stored", recordsStored);
        m.put("records_stale", recordsStale);
        m.put("records_rejected", recordsRejected);
        m.put("spoofed_origins", spoofedOrigins);
        m.put("non_member_requests", nonMemberRequests);
        m.put("contacts_evicted", contactsEvicted);
        m.put("records_republished", recordsRepublished);
        m.put("records_purged", recordsPurged);
        return m;
    }
}
