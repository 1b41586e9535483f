package io.starling.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Services by ClusterIP on real peers (process runtime, one site, two edge peers): a client pod
 * reaches a web pod through the Service's ClusterIP (a loopback address the edge peers' proxies
 * listen on) both by the address itself and by {@code $WEB_SERVICE_HOST:$WEB_SERVICE_PORT} from
 * its environment. (Replica spread is left to the scheduler's unit and property tests: it applies
 * among nodes whose predicted RTT is within 5 ms, and coordinates of peers on one loaded loopback
 * are too noisy to make that a fact a process test can rely on.)
 */
class ClusterIpProcessTest {
    @TempDir
    Path dir;

    private static String web(int port) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  replicas: 1
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      containers:
                      - name: httpd
                        image: busybox
                        command: ["sh", "-c", "d=$(mktemp -d) && echo hello-from-web > $d/index.html && exec busybox httpd -f -p %d -h $d"]
                        readinessProbe:
                          tcpSocket: {port: %d}
                          periodSeconds: 1
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                spec:
                  selector: {app: web}
                  ports:
                  - {name: http, port: 80, targetPort: %d}
                """.formatted(port, port, port);
    }

    /** GETs / through the env vars and through the literal ClusterIP, once every two seconds. */
    private static String client(String clusterIp) {
        String get = "(printf 'GET / HTTP/1.0\\\\r\\\\n\\\\r\\\\n'; sleep 1) | busybox nc -w 5 ";
        return """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: client
                spec:
                  containers:
                  - name: main
                    image: busybox
                    command: ["sh", "-c", "echo env $WEB_SERVICE_HOST:$WEB_SERVICE_PORT $WEB_PORT; while true; do %s$WEB_SERVICE_HOST $WEB_SERVICE_PORT | grep hello | sed 's/^/by-env: /'; %s%s 80 | grep hello | sed 's/^/by-ip: /'; sleep 2; done"]
                """.formatted(get, get, clusterIp);
    }

    @Test
    void aPodReachesAServiceByClusterIpAndByItsEnvironment() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not on PATH");
        // a range of its own, so that another cluster on this machine cannot share the ClusterIP listeners
        int api = LocalCluster.freePort();
        String cidr = "127.97." + (api % 256) + ".0/24";
        int webPort = LocalCluster.freePort();
        long t0 = System.nanoTime();
        try (LocalCluster cluster = new LocalCluster(dir)) {
            cluster.init("a-super", "a", "--runtime", "none", "--api", "127.0.0.1:" + api, "--service-cidr", cidr);
            cluster.join("a-edge1", "a", false, "--runtime", "process", "--cpu", "4");
            cluster.join("a-edge2", "a", false, "--runtime", "process", "--cpu", "4");
            Kubectl k = cluster.kubectl(api);
            KubectlSliceTest.awaitOutput(k, "a-edge2", 60_000, "get", "nodes");

            System.out.printf("cluster up after %.1f s%n", (System.nanoTime() - t0) / 1e9);
            k.runWithInput(web(webPort), "apply", "-f", "-").requireSuccess();
            String ip = k.run("get", "service", "web", "-o", "jsonpath={.spec.clusterIP}").requireSuccess().stdout().trim();
            String prefix = cidr.substring(0, cidr.lastIndexOf('.') + 1);
            assertTrue(ip.startsWith(prefix), "ClusterIP " + ip + " from " + cidr);
            String kubernetes = k.run("get", "service", "kubernetes", "-o", "jsonpath={.spec.clusterIP}").requireSuccess().stdout().trim();
            assertEquals(prefix + "1", kubernetes, "the kubernetes Service has the range's first address");

            k.runWithInput(client(ip), "apply", "-f", "-").requireSuccess();
            String logs = KubectlSliceTest.awaitOutput(k, "by-env: hello-from-web", 80_000, "logs", "client");
            assertTrue(logs.contains("env " + ip + ":80 tcp://" + ip + ":80"), "WEB_SERVICE_HOST/PORT and WEB_PORT: " + logs);
            KubectlSliceTest.awaitOutput(k, "by-ip: hello-from-web", 20_000, "logs", "client");
            System.out.printf("client answered by env and by ClusterIP after %.1f s%n", (System.nanoTime() - t0) / 1e9);

        }
    }
}
