package io.starling.cli.peer;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.starling.core.net.netty.KryoCodec;
import io.starling.dht.kube.KubeJson;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Loads and initialises, on a second core, what a joining peer will need a moment later (the TLS
 * stack, the wire codec, the Kubernetes object model) while the main thread solves the identity
 * puzzle and waits on the join round trip. On a cold JVM these first uses cost hundreds of
 * milliseconds of class loading and static set-up, which would otherwise sit on the critical path
 * from process start to Node Ready. Nothing here has effects beyond loaded classes; failures are
 * ignored (the real use reports them). {@code -Dstarling.startupWarmup=false} turns it off.
 */
public final class StartupWarmup {
    private static final Logger LOG = Logger.getLogger(StartupWarmup.class.getName());
    private static final String POD = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"w\",\"namespace\":\"d\","
            + "\"labels\":{\"a\":\"b\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\",\"command\":[\"sh\"],"
            + "\"env\":[{\"name\":\"E\",\"value\":\"v\"}],\"resources\":{\"requests\":{\"cpu\":\"100m\"}}}]},"
            + "\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}";
    private static final String NODE = "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"n\"},"
            + "\"status\":{\"capacity\":{\"cpu\":\"2\"},\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}";

    private StartupWarmup() {}

    /** Starts the warm-up on a daemon thread (unless turned off) and returns at once. */
    public static void start() {
        if (!Boolean.parseBoolean(System.getProperty("starling.startupWarmup", "true"))) {
            return;
        }
        Thread t = new Thread(StartupWarmup::run, "starling-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    private static void run() {
        try {
            SslContext tls = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols("TLSv1.3").build();
            tls.newEngine(ByteBufAllocator.DEFAULT).beginHandshake(); // JSSE's key exchange set-up, no I/O
            new KryoCodec(PeerNode.wireRegistry());
            KubeJson.MAPPER.writeValueAsBytes(KubeJson.MAPPER.readValue(POD, Pod.class));
            KubeJson.MAPPER.writeValueAsBytes(KubeJson.MAPPER.readValue(NODE, Node.class));
        } catch (Exception | LinkageError e) {
            LOG.log(Level.FINE, "start-up warm-up stopped early", e);
        }
    }
}
