package io.starling.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * pods/exec through the gateway to a fake node agent (a Netty WebSocket server that echoes stdin
 * on stdout and ends with exit code 3 when stdin closes): protocol negotiation, the agent URL,
 * frames both ways, the status and the close; and the refusals (SPDY, no command, unknown pod,
 * unsupported subprotocol, unreachable agent).
 */
@Timeout(60)
class PodExecTest {
    private final GatewayFixture f = new GatewayFixture();
    private final EventLoopGroup agentLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<String> agentSaw = new CopyOnWriteArrayList<>();
    private Channel agent;

    @BeforeEach
    void startFakeAgent() throws Exception {
        agent = new ServerBootstrap().group(agentLoop).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler("/exec", "v5.channel.k8s.io,v4.channel.k8s.io", false, 65536, false, true),
                                new FakeExec());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
        node("n1", ((InetSocketAddress) agent.localAddress()).getPort());
        pod("p", "n1");
        pod("unscheduled", null);
    }

    @AfterEach
    void stop() {
        agent.close().syncUninterruptibly();
        agentLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        f.close();
    }

    private void node(String name, int port) {
        String node = "{\"metadata\":{\"name\":\"" + name + "\"},\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"127.0.0.1\"}],"
                + "\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":" + port + "}}}}";
        assertEquals(201, f.send("POST", "/api/v1/nodes", "application/json", node).statusCode());
    }

    private void pod(String name, String node) {
        String spec = node == null ? "" : "\"nodeName\":\"" + node + "\",";
        String pod = "{\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{" + spec + "\"containers\":[{\"name\":\"app\",\"image\":\"busybox\"}]}}";
        assertEquals(201, f.send("POST", "/api/v1/namespaces/default/pods", "application/json", pod).statusCode());
    }

    /** Echoes channel 0 on channel 1; on the v5 close of stdin (or "exit" on v4) says bye on 2 and exits 3. */
    private final class FakeExec extends SimpleChannelInboundHandler<BinaryWebSocketFrame> {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete h) {
                agentSaw.add(h.selectedSubprotocol() + " " + h.requestUri());
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, BinaryWebSocketFrame frame) {
            byte[] m = ByteBufUtil.getBytes(frame.content());
            if (m[0] == 0 && !new String(m, 1, m.length - 1, StandardCharsets.UTF_8).equals("exit")) {
                m[0] = 1;
                ctx.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(m)));
                return;
            }
            ctx.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer("\u0002bye".getBytes(StandardCharsets.UTF_8))));
            String status = "\u0003{\"metadata\":{},\"status\":\"Failure\",\"reason\":\"NonZeroExitCode\","
                    + "\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"3\"}]}}";
            ctx.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(status.getBytes(StandardCharsets.UTF_8))));
            ctx.writeAndFlush(new CloseWebSocketFrame(1000, ""));
        }
    }

    record Session(String stdout, String stderr, String status, int closeCode) {}

    private String execPath(String pod, String query) {
        return "/api/v1/namespaces/default/pods/" + pod + "/exec?" + query;
    }

    private Session exec(String path, String protocol, List<byte[]> send) throws Exception {
        ByteArrayOutputStream[] ch = {new ByteArrayOutputStream(), new ByteArrayOutputStream(), new ByteArrayOutputStream(),
            new ByteArrayOutputStream()};
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols(protocol).connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(f.url().replace("http:", "ws:") + path), new WebSocket.Listener() {
                    private final ByteArrayOutputStream msg = new ByteArrayOutputStream();

                    @Override
                    public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                        byte[] b = new byte[data.remaining()];
                        data.get(b);
                        msg.writeBytes(b);
                        if (last) {
                            byte[] m = msg.toByteArray();
                            msg.reset();
                            ch[m[0]].write(m, 1, m.length - 1);
                        }
                        w.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                        closed.complete(code);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket w, Throwable error) {
                        closed.complete(-1);
                    }
                }).get(10, TimeUnit.SECONDS);
        assertEquals(protocol, ws.getSubprotocol());
        for (byte[] b : send) {
            ws.sendBinary(ByteBuffer.wrap(b), true).get(5, TimeUnit.SECONDS);
        }
        int code = closed.get(20, TimeUnit.SECONDS);
        ws.abort();
        return new Session(ch[1].toString(StandardCharsets.UTF_8), ch[2].toString(StandardCharsets.UTF_8),
                ch[3].toString(StandardCharsets.UTF_8), code);
    }

    private static byte[] stdin(String s) {
        return ("\u0000" + s).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void relaysBothWaysToTheAgentOfThePodsNode() throws Exception {
        Session s = exec(execPath("p", "command=sh&command=-c&command=echo%20hi&container=app&stdin=true&stdout=true&stderr=true"),
                "v5.channel.k8s.io", List.of(stdin("hello "), stdin("world"), new byte[] {(byte) 255, 0}));
        assertEquals("hello world", s.stdout());
        assertEquals("bye", s.stderr());
        assertTrue(s.status().contains("\"message\":\"3\""), s.status());
        assertEquals(1000, s.closeCode());
        assertEquals(1, agentSaw.size());
        assertEquals("v5.channel.k8s.io /exec/default/p/app?command=sh&command=-c&command=echo%20hi&stdin=true&stdout=true"
                + "&stderr=true&tty=false", agentSaw.get(0), "the only container is the default; flags passed through");
    }

    @Test
    void v4IsRelayedAsV4() throws Exception {
        Session s = exec(execPath("p", "command=cat&stdin=true&stdout=true"), "v4.channel.k8s.io", List.of(stdin("x"), stdin("exit")));
        assertEquals("x", s.stdout());
        assertTrue(s.status().contains("ExitCode"), s.status());
        assertTrue(agentSaw.get(0).startsWith("v4.channel.k8s.io /exec/default/p/app?command=cat&"), agentSaw.get(0));
    }

    @Test
    void anUnreachableAgentIsAFailureStatusNotAHang() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        node("gone", closedPort);
        pod("orphan", "gone");
        Session s = exec(execPath("orphan", "command=true&stdout=true"), "v5.channel.k8s.io", List.of());
        assertTrue(s.status().contains("\"status\":\"Failure\"") && s.status().contains("cannot reach the node agent"), s.status());
        assertEquals(1000, s.closeCode());
    }

    private int handshakeStatus(String path, String protocol) throws Exception {
        try {
            exec(path, protocol, List.of());
            return 101;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                return h.getResponse().statusCode();
            }
            throw e;
        }
    }

    @Test
    void badRequestsAreRefusedBeforeTheUpgrade() throws Exception {
        assertEquals(404, handshakeStatus(execPath("nope", "command=true&stdout=true"), "v5.channel.k8s.io"));
        assertEquals(400, handshakeStatus(execPath("p", "stdout=true"), "v5.channel.k8s.io"), "no command");
        assertEquals(400, handshakeStatus(execPath("p", "command=true"), "v5.channel.k8s.io"), "no stream at all");
        assertEquals(400, handshakeStatus(execPath("p", "command=true&stdout=true&container=other"), "v5.channel.k8s.io"));
        assertEquals(400, handshakeStatus(execPath("unscheduled", "command=true&stdout=true"), "v5.channel.k8s.io"));
        assertEquals(400, handshakeStatus(execPath("p", "command=true&stdout=true"), "base64.channel.k8s.io"),
                "only the binary v5/v4 protocols are relayed");
        assertTrue(agentSaw.isEmpty());
    }

    @Test
    void spdyGetsAClearStatusInsteadOfAHang() throws Exception {
        try (Socket s = new Socket("127.0.0.1", f.servers.get(0).address().getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST " + execPath("p", "command=true&stdout=true") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n"
                    + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            StringBuilder resp = new StringBuilder();
            while (!resp.toString().contains("}")) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                resp.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
            String r = resp.toString();
            assertTrue(r.startsWith("HTTP/1.1 400"), r);
            assertTrue(r.contains("\"kind\":\"Status\"") && r.contains("SPDY is not supported"), r);
        }
    }

    @Test
    void discoveryListsTheExecSubresource() {
        String body = f.get("/api/v1").body();
        assertTrue(body.contains("\"name\":\"pods/exec\""), body);
    }
}
