package io.starling.cli;

import io.starling.cli.peer.PeerNode;
import io.starling.cli.peer.PeerSettings;
import io.starling.core.net.Contact;
import io.starling.core.security.PeerCredentials;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Runs a peer until the process is told to stop (SIGTERM / Ctrl-C), then closes it cleanly. */
final class PeerRunner {
    private PeerRunner() {}

    static int runForeground(PeerSettings settings, PeerCredentials credentials, List<Contact> contacts) throws Exception {
        PeerNode node = new PeerNode(settings, credentials, contacts);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "starling-shutdown"));
        node.start();
        System.out.println("peer ready: id=" + credentials.nodeId().toHex() + " role=" + (settings.superPeer() ? "super" : "edge")
                + " site=" + settings.site() + " address=" + node.address()
                + " (" + sinceProcessStartMillis() + " ms after JVM start)");
        System.out.flush();
        stopped.await();
        return 0;
    }

    /** From the process's start (as the OS records it) to now; not via JMX, whose ~400 classes an edge peer does not need. */
    private static long sinceProcessStartMillis() {
        Instant start = ProcessHandle.current().info().startInstant().orElse(Instant.now());
        return System.currentTimeMillis() - start.toEpochMilli();
    }
}
