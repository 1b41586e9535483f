package io.starling.scheduler.election;

import io.starling.core.exec.EventLoop;
import io.starling.dht.kube.ObjectClient;
import java.util.function.Supplier;

/**
 * Runs a service only while this peer leads its role in its site: a fresh instance from
 * {@code factory} is started on onStartedLeading and stopped on onStoppedLeading (a stopped
 * service is never restarted, so no state from an earlier term leaks into the next).
 *
 * <pre>{@code
 * var svc = new LeaderElectedService(client, loop, LeaderElectionConfig.of("controllers", site, peerName),
 *         () -> new ControllerManager(cfg, client, loop));
 * svc.start();
 * }</pre>
 */
public final class LeaderElectedService implements AutoCloseable {
    /** Something with a start and a stop, e.g. a ControllerManager or a scheduler. */
    public interface Service {
        void start();

        void stop();
    }

    private final LeaderElector elector;
    private Service current;

    public LeaderElectedService(ObjectClient client, EventLoop loop, LeaderElectionConfig cfg, Supplier<Service> factory) {
        this.elector = new LeaderElector(client, loop, cfg, new LeaderCallbacks() {
            @Override
            public void onStartedLeading() {
                current = factory.get();
                current.start();
            }

            @Override
            public void onStoppedLeading() {
                if (current != null) {
                    current.stop();
                    current = null;
                }
            }
        });
    }

    public void start() {
        elector.start();
    }

    public boolean isLeader() {
        return elector.isLeader();
    }

    public LeaderElector elector() {
        return elector;
    }

    /** Stops the service if running and releases the lease. */
    @Override
    public void close() {
        elector.close();
    }
}
