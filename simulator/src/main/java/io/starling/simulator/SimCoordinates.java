package io.starling.simulator;

import io.starling.core.exec.Cancellable;
import io.starling.core.exec.EventLoop;
import io.starling.core.net.Transport;
import io.starling.core.random.RandomSource;
import io.starling.scheduler.vivaldi.CoordinatePublication;
import io.starling.scheduler.vivaldi.VivaldiPiggyback;
import io.starling.scheduler.vivaldi.VivaldiService;
import java.util.function.Consumer;

/**
 * A simulated peer's Vivaldi coordinates, wired as a real peer wires them (cli PeerCoordinates):
 * the production {@link VivaldiService} rides on every message as a piggyback and learns from every
 * answered request's RTT; peers with a node agent publish it on their Node every 5 s when it changed.
 */
final class SimCoordinates {
    static final long PUBLISH_PERIOD_MILLIS = 5_000;

    private final VivaldiService vivaldi;
    private final EventLoop loop;
    private final CoordinatePublication publication = new CoordinatePublication(CoordinatePublication.DEFAULT_MIN_ERROR_CHANGE);
    private Cancellable publishing = Cancellable.NONE;

    private SimCoordinates(VivaldiService vivaldi, EventLoop loop) {
        this.vivaldi = vivaldi;
        this.loop = loop;
    }

    static SimCoordinates install(Transport transport, EventLoop loop, RandomSource random) {
        VivaldiService vivaldi = new VivaldiService(VivaldiService.Config.defaults(), random, loop.clock());
        transport.setPiggyback(new VivaldiPiggyback(vivaldi, loop));
        transport.addRttListener(vivaldi.rttListener());
        return new SimCoordinates(vivaldi, loop);
    }

    void publishTo(Consumer<String> sink) {
        publishing.cancel();
        publishing = loop.scheduleAtFixedRate(PUBLISH_PERIOD_MILLIS, PUBLISH_PERIOD_MILLIS, () -> {
            String annotation = publication.next(vivaldi);
            if (annotation != null) {
                sink.accept(annotation);
            }
        });
    }

    VivaldiService vivaldi() {
        return vivaldi;
    }
}
