package io.starling.scheduler.vivaldi;

import io.starling.core.exec.Cancellable;
import io.starling.core.exec.EventLoop;
import io.starling.core.net.Transport;
import io.starling.core.random.RandomSource;
import java.util.function.Consumer;

/**
 * A peer's Vivaldi coordinates wired into its transport, the same for real and simulated peers:
 * the {@link VivaldiService} rides on every message as a piggyback and learns from every answered
 * request's RTT (no probe traffic); peers with a node agent publish it on their Node every
 * {@link #PUBLISH_PERIOD_MILLIS} when it changed meaningfully, at most once a minute
 * ({@link CoordinatePublication}).
 * Lives on the peer's event loop, where both transports call the piggyback and RTT listeners.
 */
public final class PeerVivaldi implements AutoCloseable {
    public static final long PUBLISH_PERIOD_MILLIS = 5_000;

    private final VivaldiService vivaldi;
    private final EventLoop loop;
    private final CoordinatePublication publication = new CoordinatePublication(
            CoordinatePublication.DEFAULT_MIN_ERROR_CHANGE, CoordinatePublication.DEFAULT_MIN_INTERVAL_MILLIS);
    private volatile Cancellable publishing = Cancellable.NONE;

    private PeerVivaldi(VivaldiService vivaldi, EventLoop loop) {
        this.vivaldi = vivaldi;
        this.loop = loop;
    }

    /** Creates the service and hooks it into {@code transport}; call before traffic starts. */
    public static PeerVivaldi install(Transport transport, EventLoop loop, RandomSource random) {
        VivaldiService vivaldi = new VivaldiService(VivaldiService.Config.defaults(), random, loop.clock());
        transport.setPiggyback(new VivaldiPiggyback(vivaldi, loop));
        transport.addRttListener(vivaldi.rttListener());
        return new PeerVivaldi(vivaldi, loop);
    }

    /** Every period, hands the Node annotation ("X,Y,H,E") to {@code sink} on the loop if it changed meaningfully. */
    public void publishTo(Consumer<String> sink) {
        publishing.cancel();
        publishing = loop.scheduleAtFixedRate(PUBLISH_PERIOD_MILLIS, PUBLISH_PERIOD_MILLIS, () -> {
            String annotation = publication.next(vivaldi, loop.clock().monoMillis());
            if (annotation != null) {
                sink.accept(annotation);
            }
        });
    }

    /** The service (read it on the loop only). */
    public VivaldiService vivaldi() {
        return vivaldi;
    }

    @Override
    public void close() {
        publishing.cancel();
    }
}
