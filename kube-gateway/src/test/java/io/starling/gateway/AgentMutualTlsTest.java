package io.starling.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.starling.core.identity.PeerIdentity;
import io.starling.core.security.ClusterCa;
import io.starling.core.security.Keys;
import io.starling.core.security.PeerCertificates;
import io.starling.core.security.PeerCredentials;
import io.starling.core.security.PeerRole;
import io.starling.core.time.SystemClock;
import io.starling.gateway.kubelet.AgentClientTls;
import io.starling.gateway.kubelet.KubeletProxy;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * pods/log from a gateway with agent TLS to a fake mutual-TLS node agent: the gateway presents its
 * super-peer certificate and accepts only the agent certificate of the peer the Node names.
 */
@Timeout(60)
class AgentMutualTlsTest {
    private static final ClusterCa CA = ClusterCa.create("test", SystemClock.INSTANCE);
    private final PeerCredentials gateway = credentials(CA, PeerRole.SUPER);
    private final PeerCredentials agentPeer = credentials(CA, PeerRole.EDGE);
    private final GatewayFixture f = new GatewayFixture(0);
    private final EventLoopGroup agentLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    /** Node ids of the client certificates the fake agent served. */
    private final List<String> callers = new CopyOnWriteArrayList<>();
    private Channel agent;

    AgentMutualTlsTest() {
        f.start(GatewayConfig.plain("127.0.0.1", 0, "site-a").withKubeletProxy(KubeletProxy.mutualTls(AgentClientTls.of(gateway))));
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close().syncUninterruptibly();
        }
        agentLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        f.close();
    }

    @Test
    void logsFlowWhenTheAgentIsTheNodesPeer() throws Exception {
        startAgent(agentPeer);
        nodeAndPod(agentPeer.nodeId().toHex());
        HttpResponse<String> r = f.get("/api/v1/namespaces/default/pods/p/log");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("log of /containerLogs/default/p/app\n", r.body());
        assertEquals(List.of(gateway.nodeId().toHex()), callers, "the agent saw the gateway's peer certificate");
    }

    @Test
    void anAgentWithAnotherPeersCertificateIsRefused() throws Exception {
        startAgent(credentials(CA, PeerRole.EDGE)); // a valid peer, but not the one the Node names
        nodeAndPod(agentPeer.nodeId().toHex());
        HttpResponse<String> r = f.get("/api/v1/namespaces/default/pods/p/log");
        assertEquals(502, r.statusCode(), r.body());
        assertTrue(r.body().contains("but the Node names peer " + agentPeer.nodeId().toHex()), r.body());
        assertEquals(List.of(), callers, "no request reached the impostor");
    }

    @Test
    void execToAnAgentWithAnotherPeersCertificateIsAFailureStatus() throws Exception {
        startAgent(credentials(CA, PeerRole.EDGE));
        nodeAndPod(agentPeer.nodeId().toHex());
        CompletableFuture<String> status = new CompletableFuture<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("v5.channel.k8s.io")
                .buildAsync(URI.create(f.url().replace("http:", "ws:") + "/api/v1/namespaces/default/pods/p/exec?command=true&stdout=true"),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                                byte[] b = new byte[data.remaining()];
                                data.get(b);
                                if (b.length > 0 && b[0] == 3) {
                                    status.complete(new String(b, 1, b.length - 1, StandardCharsets.UTF_8));
                                }
                                w.request(1);
                                return null;
                            }
                        }).get(10, TimeUnit.SECONDS);
        String s = status.get(20, TimeUnit.SECONDS);
        ws.abort();
        assertTrue(s.contains("\"status\":\"Failure\"") && s.contains("but the Node names peer " + agentPeer.nodeId().toHex()), s);
        assertEquals(List.of(), callers, "no request reached the impostor");
    }

    @Test
    void anAgentFromAnotherClusterIsRefused() throws Exception {
        PeerCredentials stranger = credentials(ClusterCa.create("other", SystemClock.INSTANCE), PeerRole.EDGE);
        startAgent(stranger);
        nodeAndPod(stranger.nodeId().toHex());
        HttpResponse<String> r = f.get("/api/v1/namespaces/default/pods/p/log");
        assertEquals(502, r.statusCode(), r.body());
        assertEquals(List.of(), callers);
    }

    @Test
    void aNodeThatDoesNotNameItsPeerIsRefused() throws Exception {
        startAgent(agentPeer);
        nodeAndPod(null);
        HttpResponse<String> r = f.get("/api/v1/namespaces/default/pods/p/log");
        assertEquals(502, r.statusCode(), r.body());
        assertTrue(r.body().contains("starling.io/peer-id"), r.body());
        assertEquals(List.of(), callers);
    }

    private void nodeAndPod(String peerId) {
        int port = ((InetSocketAddress) agent.localAddress()).getPort();
        String annotations = peerId == null ? "" : ",\"annotations\":{\"starling.io/peer-id\":\"" + peerId + "\"}";
        String node = "{\"metadata\":{\"name\":\"n1\"" + annotations + "},\"status\":{\"addresses\":[{\"type\":\"InternalIP\","
                + "\"address\":\"127.0.0.1\"}],\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":" + port + "}}}}";
        assertEquals(201, f.send("POST", "/api/v1/nodes", "application/json", node).statusCode());
        String pod = "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"nodeName\":\"n1\",\"containers\":[{\"name\":\"app\",\"image\":\"busybox\"}]}}";
        assertEquals(201, f.send("POST", "/api/v1/namespaces/default/pods", "application/json", pod).statusCode());
    }

    /** A node agent stand-in with the agent's TLS policy: peer certificate, client certificate required, CA only. */
    private void startAgent(PeerCredentials peer) throws Exception {
        SslContext tls = SslContextBuilder.forServer(Keys.ed25519Private(peer.identity()), peer.peerCertificate(), peer.caCertificate())
                .sslProvider(SslProvider.JDK).protocols("TLSv1.3").clientAuth(ClientAuth.REQUIRE)
                .trustManager(peer.caCertificate()).build();
        agent = new ServerBootstrap().group(agentLoop).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()), new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new SimpleChannelInboundHandler<FullHttpRequest>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) throws Exception {
                                        X509Certificate client = (X509Certificate) ctx.pipeline().get(SslHandler.class).engine()
                                                .getSession().getPeerCertificates()[0];
                                        callers.add(PeerCertificates.nodeIdOf(client).toHex());
                                        byte[] body = ("log of " + req.uri() + "\n").getBytes(StandardCharsets.UTF_8);
                                        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                                                Unpooled.wrappedBuffer(body));
                                        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
                                        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
                                        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        ctx.close(); // refused handshakes are what some tests expect
                                    }
                                });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    private static PeerCredentials credentials(ClusterCa ca, PeerRole role) {
        PeerIdentity id = PeerIdentity.generate(2);
        return new PeerCredentials(id, ca.issuePeerCertificate(id.publicKey(), "site-a", role), ca.certificate(), null, null);
    }
}
