package io.starling.core.security;

/** Bound into a peer's certificate: only super-peers may act as DHT members and admit peers. */
public enum PeerRole {
    SUPER, EDGE;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static PeerRole parse(String text) {
        for (PeerRole r : values()) {
            if (r.wireName().equals(text)) {
                return r;
            }
        }
        throw new IllegalArgumentException("role must be super or edge, got '" + text + "'");
    }
}
