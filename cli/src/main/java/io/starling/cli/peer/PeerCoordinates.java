package io.starling.cli.peer;

import io.starling.core.exec.Cancellable;
import io.starling.core.exec.EventLoop;
import io.starling.core.net.Transport;
import io.starling.core.random.RandomSource;
import io.starling.scheduler.vivaldi.CoordinatePublication;
import io.starling.scheduler.vivaldi.VivaldiPiggyback;
import io.starling.scheduler.vivaldi.VivaldiService;
import java.util.function.Consumer;

/**
 * This peer's Vivaldi coordinates. The coordinate rides on every message the transport sends
 * ({@link VivaldiPiggyback}) and each answered request's RTT sample moves it, so no probe traffic
 * is added. Peers with a node agent publish it on their Node every {@link #PUBLISH_PERIOD_MILLIS}
 * when it changed meaningfully ({@link CoordinatePublication}); super-peers without a runtime keep
 * coordinates only so that their stamps help the others converge. The service lives on the peer's
 * event loop, which is where both transports call the piggyback and the RTT listeners.
 */
final class PeerCoordinates implements AutoCloseable {
    static final long PUBLISH_PERIOD_MILLIS = 5_000;

    private final VivaldiService vivaldi;
    private final EventLoop loop;
    private final CoordinatePublication publication = new CoordinatePublication(CoordinatePublication.DEFAULT_MIN_ERROR_CHANGE);
    private volatile Cancellable publishing = Cancellable.NONE;
    private final Cancellable snapshotting;
    /** The coordinate as last read on the loop, for readers on other threads (the API's node tables). */
    private volatile String snapshot;

    private PeerCoordinates(VivaldiService vivaldi, EventLoop loop) {
        this.vivaldi = vivaldi;
        this.loop = loop;
        this.snapshotting = loop.scheduleAtFixedRate(0, SNAPSHOT_PERIOD_MILLIS, () -> snapshot = vivaldi.annotation());
    }

    static final long SNAPSHOT_PERIOD_MILLIS = 1_000;

    /** "X,Y,HEIGHT,ERROR" as of at most a second ago; safe from any thread (null before the first read). */
    String snapshot() {
        return snapshot;
    }

    /** Creates the service and hooks it into {@code transport}; call before traffic starts. */
    static PeerCoordinates install(Transport transport, EventLoop loop, RandomSource random) {
        VivaldiService vivaldi = new VivaldiService(VivaldiService.Config.defaults(), random, loop.clock());
        transport.setPiggyback(new VivaldiPiggyback(vivaldi, loop));
        transport.addRttListener(vivaldi.rttListener());
        return new PeerCoordinates(vivaldi, loop);
    }

    /** Every period, hands the Node annotation ("X,Y,H,E") to {@code sink} on the loop if it changed meaningfully. */
    void publishTo(Consumer<String> sink) {
        publishing.cancel();
        publishing = loop.scheduleAtFixedRate(PUBLISH_PERIOD_MILLIS, PUBLISH_PERIOD_MILLIS, () -> {
            String annotation = publication.next(vivaldi);
            if (annotation != null) {
                sink.accept(annotation);
            }
        });
    }

    /** The service (read it on the loop only). */
    VivaldiService vivaldi() {
        return vivaldi;
    }

    @Override
    public void close() {
        publishing.cancel();
        snapshotting.cancel();
    }
}
