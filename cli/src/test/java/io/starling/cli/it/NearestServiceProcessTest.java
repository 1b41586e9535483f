package io.starling.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A NodePort Service with a web pod in each of two sites (network namespaces, 40 ms injected WAN
 * delay): a request to the node port in site a is answered by a's pod and one in site b by b's,
 * never round-robin across the WAN; when a's pod is gone, a's requests go to b.
 */
class NearestServiceProcessTest {
    @TempDir
    Path dir;

    private static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata:
              name: web
            spec:
              type: NodePort
              selector: {app: web}
              ports:
              - {port: 80, targetPort: 8080, nodePort: 30080}
            """;

    private static String web(String site) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web-%s
                spec:
                  replicas: 1
                  selector:
                    matchLabels: {app: web, site: %s}
                  template:
                    metadata:
                      labels: {app: web, site: %s}
                    spec:
                      nodeSelector: {starling.io/site: %s}
                      containers:
                      - name: httpd
                        image: busybox
                        command: ["sh", "-c", "d=$(mktemp -d) && echo site-%s > $d/index.html && exec busybox httpd -f -p 8080 -h $d"]
                        ports: [{containerPort: 8080}]
                        readinessProbe:
                          tcpSocket: {port: 8080}
                          periodSeconds: 1
                """.formatted(site, site, site, site, site);
    }

    @Test
    void eachSiteIsServedByItsOwnEndpointAndFallsBackAcrossTheWan() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not on PATH");
        assumeTrue(NetnsTestbed.available(), "needs root, iproute2 and nftables for network namespaces");
        try (NetnsTestbed bed = NetnsTestbed.create("a", "b");
             LocalCluster cluster = new LocalCluster(dir, bed)) {
            cluster.init("a-super", "a", "--api", bed.host("a") + ":6443", "--inject-wan-delay-ms", "40");
            cluster.join("b-super", "b", true, "--api", bed.host("b") + ":6443", "--inject-wan-delay-ms", "40");
            Kubectl a = cluster.kubectl("a", 6443);
            KubectlSliceTest.awaitOutput(a, "b-super", 60_000, "get", "nodes");
            a.runWithInput(SERVICE, "apply", "-f", "-").requireSuccess();
            a.runWithInput(web("a"), "apply", "-f", "-").requireSuccess();
            a.runWithInput(web("b"), "apply", "-f", "-").requireSuccess();
            KubectlSliceTest.awaitOutput(a, "1/1", 120_000, "get", "deployment", "web-a");
            KubectlSliceTest.awaitOutput(a, "1/1", 120_000, "get", "deployment", "web-b");

            String first = awaitAnswer(bed, "a", "site-a");
            if (!first.equals("site-a")) {
                System.out.println(a.run("get", "pods,endpointslices,svc", "-o", "yaml").stdout());
            }
            for (int i = 0; i < 5; i++) {
                assertEquals("site-a", awaitAnswer(bed, "a", "site-a"), "site a's requests stay in site a");
                assertEquals("site-b", awaitAnswer(bed, "b", "site-b"), "site b's requests stay in site b");
            }
            a.run("scale", "deployment", "web-a", "--replicas=0").requireSuccess();
            assertEquals("site-b", awaitAnswer(bed, "a", "site-b"), "with no endpoint in a, a's requests cross to b");
        }
    }

    /** GETs the node port of {@code site}'s node from inside the site until it answers {@code expected}. */
    private static String awaitAnswer(NetnsTestbed bed, String site, String expected) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            last = get(bed, site, 30080);
            if (last.equals(expected)) {
                return last;
            }
            Thread.sleep(500);
        }
        return last;
    }

    /**
     * One HTTP/1.0 GET with busybox nc (busybox wget crashes on this Debian build); stdin stays
     * open a moment so that nc reads the answer before it closes the connection. Returns the body.
     */
    private static String get(NetnsTestbed bed, String site, int port) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(bed.prefix(site));
        cmd.addAll(List.of("sh", "-c", "(printf 'GET / HTTP/1.0\\r\\n\\r\\n'; sleep 1) | busybox nc -w 5 "
                + bed.host(site) + " " + port));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        int body = out.indexOf("\r\n\r\n");
        return body < 0 ? "" : out.substring(body + 4).trim();
    }
}
