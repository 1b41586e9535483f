package io.starling.core.security;

/**
 * Bound into a certificate by the cluster CA: only super-peers may act as DHT members and admit
 * peers; operators (the admin credentials {@code starling init} writes) are the only callers of the
 * operator requests ({@code starling dht|coords|image}); a peer can never join as one.
 */
public enum PeerRole {
    SUPER, EDGE, OPERATOR;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static PeerRole parse(String text) {
        for (PeerRole r : values()) {
            if (r.wireName().equals(text)) {
                return r;
            }
        }
        throw new IllegalArgumentException("role must be super, edge or operator, got '" + text + "'");
    }

    /** A role a joining peer may ask for: super or edge. */
    public static PeerRole parsePeer(String text) {
        if ("super".equals(text)) {
            return SUPER;
        }
        if ("edge".equals(text)) {
            return EDGE;
        }
        throw new IllegalArgumentException("role must be super or edge, got '" + text + "'");
    }
}
