package io.starling.core.net.netty;

import io.starling.core.net.PeerAddress;
import java.util.Objects;

/**
 * Limits and addresses of a {@link NettyTransport}; immutable, built with {@link #builder()}.
 * Every limit carries its unit in its name.
 */
public final class NettyTransportConfig {
    public static final int DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024;

    private final String bindHost;
    private final int bindPort;
    private final PeerAddress advertisedAddress;
    private final int maxFrameBytes;
    private final long connectTimeoutMillis;
    private final long handshakeTimeoutMillis;
    private final int maxPendingRequests;
    private final int maxInboundRequests;
    private final long idleTimeoutMillis;
    private final int ioThreads;
    private final DelayPolicy delayPolicy;

    private NettyTransportConfig(Builder b) {
        this.bindHost = b.bindHost;
        this.bindPort = b.bindPort;
        this.advertisedAddress = b.advertisedAddress;
        this.maxFrameBytes = b.maxFrameBytes;
        this.connectTimeoutMillis = b.connectTimeoutMillis;
        this.handshakeTimeoutMillis = b.handshakeTimeoutMillis;
        this.maxPendingRequests = b.maxPendingRequests;
        this.maxInboundRequests = b.maxInboundRequests;
        this.idleTimeoutMillis = b.idleTimeoutMillis;
        this.ioThreads = b.ioThreads;
        this.delayPolicy = b.delayPolicy;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static NettyTransportConfig defaults() {
        return builder().build();
    }

    public String bindHost() { return bindHost; }

    /** 0 = ephemeral; {@link NettyTransport#localAddress()} reports the bound port. */
    public int bindPort() { return bindPort; }

    /** The address announced to other peers; null = the bound host and port. */
    public PeerAddress advertisedAddress() { return advertisedAddress; }

    /** Largest frame body accepted or sent. */
    public int maxFrameBytes() { return maxFrameBytes; }

    /** TCP connect. */
    public long connectTimeoutMillis() { return connectTimeoutMillis; }

    /**
     * TLS handshake, on both ends of a link. Longer than the connect: a busy or small peer (a Pi,
     * a loaded super-peer) can take seconds for the key exchange, and a link cut for that is
     * retried from scratch, costing another handshake (client-go waits 10 s too).
     */
    public long handshakeTimeoutMillis() { return handshakeTimeoutMillis; }

    /** Requests awaiting a reply, and frames queued while a link connects; beyond it, REJECTED. */
    public int maxPendingRequests() { return maxPendingRequests; }

    /** Inbound requests being handled at once; beyond it, callers get an immediate "overloaded" error. */
    public int maxInboundRequests() { return maxInboundRequests; }

    /** A link with no traffic in either direction for this long is closed (reopened on demand). */
    public long idleTimeoutMillis() { return idleTimeoutMillis; }

    public int ioThreads() { return ioThreads; }

    public DelayPolicy delayPolicy() { return delayPolicy; }

    public static final class Builder {
        private String bindHost = "127.0.0.1";
        private int bindPort;
        private PeerAddress advertisedAddress;
        private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
        private long connectTimeoutMillis = 5_000;
        private long handshakeTimeoutMillis = 10_000;
        private int maxPendingRequests = 10_000;
        private int maxInboundRequests = 10_000;
        private long idleTimeoutMillis = 300_000;
        private int ioThreads = 1;
        private DelayPolicy delayPolicy = DelayPolicy.NONE;

        private Builder() {}

        public Builder bind(String host, int port) {
            this.bindHost = Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.bindPort = port;
            return this;
        }

        public Builder advertisedAddress(PeerAddress address) {
            this.advertisedAddress = address;
            return this;
        }

        public Builder maxFrameBytes(int bytes) {
            this.maxFrameBytes = positive(bytes, "maxFrameBytes");
            return this;
        }

        public Builder handshakeTimeoutMillis(long millis) {
            this.handshakeTimeoutMillis = positive(millis, "handshakeTimeoutMillis");
            return this;
        }

        public Builder connectTimeoutMillis(long millis) {
            this.connectTimeoutMillis = positive(millis, "connectTimeoutMillis");
            return this;
        }

        public Builder maxPendingRequests(int max) {
            this.maxPendingRequests = positive(max, "maxPendingRequests");
            return this;
        }

        public Builder maxInboundRequests(int max) {
            this.maxInboundRequests = positive(max, "maxInboundRequests");
            return this;
        }

        public Builder idleTimeoutMillis(long millis) {
            this.idleTimeoutMillis = positive(millis, "idleTimeoutMillis");
            return this;
        }

        public Builder ioThreads(int threads) {
            this.ioThreads = positive(threads, "ioThreads");
            return this;
        }

        /** Test-only: hold back outbound frames per remote address (WAN emulation). */
        public Builder delayPolicy(DelayPolicy policy) {
            this.delayPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        public NettyTransportConfig build() {
            return new NettyTransportConfig(this);
        }

        private static int positive(int v, String name) {
            if (v <= 0) {
                throw new IllegalArgumentException(name + " must be > 0, got " + v);
            }
            return v;
        }

        private static long positive(long v, String name) {
            if (v <= 0) {
                throw new IllegalArgumentException(name + " must be > 0, got " + v);
            }
            return v;
        }
    }
}
