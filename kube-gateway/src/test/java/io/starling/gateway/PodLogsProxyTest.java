package io.starling.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** pods/log is forwarded to the node agent named by the pod's node, with the log options. */
class PodLogsProxyTest {
    private final GatewayFixture f = new GatewayFixture();
    private HttpServer agent;
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startFakeNodeAgent() throws Exception {
        agent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        agent.createContext("/containerLogs/", ex -> {
            seen.add(ex.getRequestURI().toString());
            boolean missing = ex.getRequestURI().getPath().endsWith("/ghost");
            byte[] body = (missing ? "container not running" : "line 1\nline 2\n").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(missing ? 404 : 200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        agent.start();
        int port = agent.getAddress().getPort();
        String node = "{\"metadata\":{\"name\":\"n1\"},\"status\":{\"addresses\":[{\"type\":\"Hostname\",\"address\":\"n1\"},"
                + "{\"type\":\"InternalIP\",\"address\":\"127.0.0.1\"}],\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":" + port + "}}}}";
        assertEquals(201, f.send("POST", "/api/v1/nodes", "application/json", node).statusCode());
        String pod = "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"nodeName\":\"n1\",\"containers\":[{\"name\":\"app\",\"image\":\"busybox\"},"
                + "{\"name\":\"ghost\",\"image\":\"busybox\"}]}}";
        assertEquals(201, f.send("POST", "/api/v1/namespaces/default/pods", "application/json", pod).statusCode());
        String unscheduled = "{\"metadata\":{\"name\":\"u\"},\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"busybox\"}]}}";
        assertEquals(201, f.send("POST", "/api/v1/namespaces/default/pods", "application/json", unscheduled).statusCode());
    }

    @AfterEach
    void stop() {
        agent.stop(0);
        f.close();
    }

    @Test
    void forwardsToTheNodeAgentWithOptions() {
        HttpResponse<String> r = f.get("/api/v1/namespaces/default/pods/p/log?container=app&tailLines=2&timestamps=true&follow=false");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("line 1\nline 2\n", r.body());
        assertEquals(1, seen.size());
        String uri = seen.get(0);
        assertTrue(uri.startsWith("/containerLogs/default/p/app?"), uri);
        assertTrue(uri.contains("tailLines=2") && uri.contains("timestamps=true") && uri.contains("follow=false"), uri);
    }

    @Test
    void errorsBecomeStatuses() {
        assertEquals(400, f.get("/api/v1/namespaces/default/pods/p/log").statusCode(), "two containers: must name one");
        assertEquals(400, f.get("/api/v1/namespaces/default/pods/p/log?container=nope").statusCode());
        assertEquals(400, f.get("/api/v1/namespaces/default/pods/u/log").statusCode(), "no node assigned yet");
        HttpResponse<String> missing = f.get("/api/v1/namespaces/default/pods/p/log?container=ghost");
        assertEquals(404, missing.statusCode());
        assertTrue(missing.body().contains("container not running"), missing.body());
        assertEquals(404, f.get("/api/v1/namespaces/default/pods/none/log").statusCode());
    }
}
