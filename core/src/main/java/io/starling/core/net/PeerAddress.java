package io.starling.core.net;

/** Where a peer listens: host and port. In simulation the host is a virtual name. */
public record PeerAddress(String host, int port) implements Comparable<PeerAddress> {
    public PeerAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("peer address needs a host");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** Parses {@code host:port} (IPv6 as {@code [::1]:port}); a clear message on bad input. */
    public static PeerAddress parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("address is missing");
        }
        String s = text.trim();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("address must be HOST:PORT, got '" + text + "'");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port must be a number in '" + text + "'");
        }
        return new PeerAddress(host, port);
    }

    @Override
    public int compareTo(PeerAddress o) {
        int c = host.compareTo(o.host);
        return c != 0 ? c : Integer.compare(port, o.port);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
