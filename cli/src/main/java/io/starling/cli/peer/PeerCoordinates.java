package io.starling.cli.peer;

import io.starling.core.exec.Cancellable;
import io.starling.core.exec.EventLoop;
import io.starling.core.net.Transport;
import io.starling.core.random.RandomSource;
import io.starling.scheduler.vivaldi.PeerVivaldi;
import io.starling.scheduler.vivaldi.VivaldiService;
import java.util.function.Consumer;

/**
 * This peer's Vivaldi coordinates ({@link PeerVivaldi}, wired exactly as the simulator wires its
 * peers), plus a snapshot of the coordinate that threads other than the peer's loop may read (the
 * API's node tables). Super-peers without a runtime keep coordinates only so that their stamps
 * help the others converge.
 */
final class PeerCoordinates implements AutoCloseable {
    static final long SNAPSHOT_PERIOD_MILLIS = 1_000;

    private final PeerVivaldi peer;
    private final Cancellable snapshotting;
    /** The coordinate as last read on the loop, for readers on other threads. */
    private volatile String snapshot;

    private PeerCoordinates(PeerVivaldi peer, EventLoop loop) {
        this.peer = peer;
        this.snapshotting = loop.scheduleAtFixedRate(0, SNAPSHOT_PERIOD_MILLIS, () -> snapshot = peer.vivaldi().annotation());
    }

    /** "X,Y,HEIGHT,ERROR" as of at most a second ago; safe from any thread (null before the first read). */
    String snapshot() {
        return snapshot;
    }

    /** Creates the service and hooks it into {@code transport}; call before traffic starts. */
    static PeerCoordinates install(Transport transport, EventLoop loop, RandomSource random) {
        return new PeerCoordinates(PeerVivaldi.install(transport, loop, random), loop);
    }

    /** Every period, hands the Node annotation ("X,Y,H,E") to {@code sink} on the loop if it changed meaningfully. */
    void publishTo(Consumer<String> sink) {
        peer.publishTo(sink);
    }

    /** The service (read it on the loop only). */
    VivaldiService vivaldi() {
        return peer.vivaldi();
    }

    @Override
    public void close() {
        peer.close();
        snapshotting.cancel();
    }
}
