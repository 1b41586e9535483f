package io.starling.simulator;

import io.starling.scheduler.vivaldi.PeerVivaldi;
import io.starling.dht.cluster.DhtClusterStore;
import io.starling.dht.kube.MergeConflictEvents;
import io.starling.dht.cluster.StoreService;
import io.starling.dht.kube.ObjectClient;
import io.starling.dht.testkit.SimDhtCluster;
import io.starling.scheduler.controller.ControllerConfig;
import io.starling.scheduler.controller.ControllerManager;
import io.starling.scheduler.election.LeaderCallbacks;
import io.starling.scheduler.election.LeaderElectionConfig;
import io.starling.scheduler.election.LeaderElector;
import io.starling.scheduler.placement.SchedulerConfig;
import io.starling.scheduler.placement.SiteScheduler;
import io.starling.core.random.RandomSource;
import java.util.ArrayList;
import java.util.List;

/**
 * One simulated super-peer: the production DHT node (from {@link SimDhtCluster}), its
 * {@link DhtClusterStore} and {@link StoreService} for edge peers, Vivaldi coordinates, and, under
 * per-site leader election, the site's {@link SiteScheduler} and {@link ControllerManager} — wired
 * as cli's PeerNode/PeerServices wire a real super-peer (no API gateway: simulated users call the
 * store through an {@link ObjectClient}, as the gateway does).
 */
final class SuperPeer {
    final SimDhtCluster.Peer peer;
    final String site;
    final int indexInSite;
    /** Per incarnation (replaced on restart). */
    DhtClusterStore store;
    StoreService service;
    PeerVivaldi coordinates;
    ObjectClient client;
    private final List<LeaderElector> electors = new ArrayList<>();
    private int incarnation;

    SuperPeer(SimDhtCluster.Peer peer, String site, int indexInSite) {
        this.peer = peer;
        this.site = site;
        this.indexInSite = indexInSite;
    }

    /** Called by the cluster's start hook, before the node bootstraps. */
    void onNodeStarted(RandomSource random) {
        incarnation++;
        RandomSource r = random.derive("super-" + peer.index + "-" + incarnation);
        coordinates = PeerVivaldi.install(peer.transport, peer.loop, r.derive("vivaldi"));
        store = new DhtClusterStore(peer.node);
        store.onMergeConflict(new MergeConflictEvents(store)); // as PeerNode does
        service = new StoreService(peer.node, store);
        client = new ObjectClient(store, peer.loop.clock(), r.derive("objects"));
        electors.clear();
    }

    /** Starts the site's scheduler and controllers under leader election (PeerServices.startSiteLeadership). */
    void startServices(RandomSource random) {
        RandomSource r = random.derive("services-" + peer.index + "-" + incarnation);
        String me = peer.id().toHex();
        SiteScheduler scheduler = new SiteScheduler(SchedulerConfig.forSite(site), client, peer.loop);
        elect(LeaderElectionConfig.of("scheduler", site, me), scheduler::start, scheduler::stop);
        ControllerManager controllers = new ControllerManager(ControllerConfig.forSite(site), client, peer.loop,
                r.derive("controllers"));
        elect(LeaderElectionConfig.of("controllers", site, me), controllers::start, controllers::stop);
    }

    private void elect(LeaderElectionConfig cfg, Runnable start, Runnable stop) {
        LeaderElector elector = new LeaderElector(client, peer.loop, cfg, new LeaderCallbacks() {
            @Override
            public void onStartedLeading() {
                start.run();
            }

            @Override
            public void onStoppedLeading() {
                stop.run();
            }
        });
        electors.add(elector);
        elector.start();
    }

    boolean up() {
        return peer.up;
    }
}
