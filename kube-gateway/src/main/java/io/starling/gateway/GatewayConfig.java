package io.starling.gateway;

import io.netty.handler.ssl.SslContext;
import io.starling.gateway.kubelet.KubeletProxy;
import io.starling.dht.store.CollectionKey;
import io.starling.gateway.ipam.ServiceCidr;

/**
 * Settings of one {@link KubeApiServer}.
 *
 * @param bindHost address to listen on
 * @param port TCP port, 0 = ephemeral
 * @param sslContext server TLS context; built with {@link io.starling.gateway.http.HttpProtocols#alpn()} it
 *     also serves HTTP/2, otherwise HTTP/1.1 only; {@code null} = plain HTTP/1.1
 * @param siteName site of this super-peer, recorded as {@code starling.io/home-site} on created objects
 * @param maxBodyBytes request bodies above this get 413
 * @param workerThreads threads that decode, validate and encode requests (off the Netty event loop)
 * @param maxInFlightRequests requests being processed at once (streams count until they start); more get 429
 * @param maxWatchSeconds upper bound of a watch stream's life when the client gives no timeoutSeconds
 * @param kubeletProxy how node agents are reached for pods/log and pods/exec ({@link KubeletProxy#mutualTls} on
 *     super-peers); {@code null} = plain HTTP with defaults
 * @param authenticator who is calling; {@link Authenticator#ALLOW_ALL} by default
 * @param scope store scope of the collections served (CollectionKey scope; "default")
 * @param tenancy authenticate with cluster-CA client certificates or scope bearer tokens and authorize
 *     every request from the Scope objects; {@code false} = {@code authenticator} only, everyone sees everything
 * @param serviceCidr range ClusterIPs are allocated from (IPv4 CIDR; {@link ServiceCidr#DEFAULT}, a
 *     loopback block, because pods share the host network and the proxy binds ClusterIPs on lo);
 *     every super-peer of a cluster must use the same
 */
public record GatewayConfig(String bindHost, int port, SslContext sslContext, String siteName, int maxBodyBytes,
                           int workerThreads, int maxInFlightRequests, int maxWatchSeconds, KubeletProxy kubeletProxy,
                           Authenticator authenticator, String scope, boolean tenancy, String serviceCidr) {
    public static final int DEFAULT_MAX_BODY_BYTES = 3 * 1024 * 1024;

    public GatewayConfig {
        if (maxBodyBytes <= 0 || workerThreads <= 0 || maxInFlightRequests <= 0 || maxWatchSeconds <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (authenticator == null) {
            authenticator = Authenticator.ALLOW_ALL;
        }
        if (scope == null) {
            scope = CollectionKey.DEFAULT_SCOPE;
        }
        if (serviceCidr == null) {
            serviceCidr = ServiceCidr.DEFAULT;
        }
        ServiceCidr.parse(serviceCidr); // fail at start, not at the first Service
    }

    /** The settings before the service range existed; the range is the default. */
    public GatewayConfig(String bindHost, int port, SslContext sslContext, String siteName, int maxBodyBytes,
                         int workerThreads, int maxInFlightRequests, int maxWatchSeconds, KubeletProxy kubeletProxy,
                         Authenticator authenticator, String scope, boolean tenancy) {
        this(bindHost, port, sslContext, siteName, maxBodyBytes, workerThreads, maxInFlightRequests, maxWatchSeconds,
                kubeletProxy, authenticator, scope, tenancy, ServiceCidr.DEFAULT);
    }

    /** ClusterIPs from {@code cidr} (e.g. {@code 127.96.0.0/16}). */
    public GatewayConfig withServiceCidr(String cidr) {
        return new GatewayConfig(bindHost, port, sslContext, siteName, maxBodyBytes, workerThreads, maxInFlightRequests, maxWatchSeconds,
                kubeletProxy, authenticator, scope, tenancy, cidr);
    }

    /** Plain HTTP on {@code bindHost:port} with default limits. */
    public static GatewayConfig plain(String bindHost, int port, String siteName) {
        return new GatewayConfig(bindHost, port, null, siteName, DEFAULT_MAX_BODY_BYTES, 4, 400, 1800, null,
                Authenticator.ALLOW_ALL, CollectionKey.DEFAULT_SCOPE, false);
    }

    public GatewayConfig withSsl(SslContext ssl) {
        return new GatewayConfig(bindHost, port, ssl, siteName, maxBodyBytes, workerThreads, maxInFlightRequests, maxWatchSeconds,
                kubeletProxy, authenticator, scope, tenancy, serviceCidr);
    }

    public GatewayConfig withMaxBodyBytes(int bytes) {
        return new GatewayConfig(bindHost, port, sslContext, siteName, bytes, workerThreads, maxInFlightRequests, maxWatchSeconds,
                kubeletProxy, authenticator, scope, tenancy, serviceCidr);
    }

    public GatewayConfig withKubeletProxy(KubeletProxy proxy) {
        return new GatewayConfig(bindHost, port, sslContext, siteName, maxBodyBytes, workerThreads, maxInFlightRequests, maxWatchSeconds,
                proxy, authenticator, scope, tenancy, serviceCidr);
    }

    public GatewayConfig withMaxInFlightRequests(int requests) {
        return new GatewayConfig(bindHost, port, sslContext, siteName, maxBodyBytes, workerThreads, requests, maxWatchSeconds,
                kubeletProxy, authenticator, scope, tenancy, serviceCidr);
    }

    public GatewayConfig withAuthenticator(Authenticator auth) {
        return new GatewayConfig(bindHost, port, sslContext, siteName, maxBodyBytes, workerThreads, maxInFlightRequests, maxWatchSeconds,
                kubeletProxy, auth, scope, tenancy, serviceCidr);
    }

    /** Certificates or scope tokens, and scope-based authorization on every request. */
    public GatewayConfig withTenancy() {
        return new GatewayConfig(bindHost, port, sslContext, siteName, maxBodyBytes, workerThreads, maxInFlightRequests, maxWatchSeconds,
                kubeletProxy, authenticator, scope, true, serviceCidr);
    }
}
