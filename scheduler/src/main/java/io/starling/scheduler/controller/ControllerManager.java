package io.starling.scheduler.controller;

import io.starling.core.exec.EventLoop;
import io.starling.core.random.RandomSource;
import io.starling.core.random.SeededRandom;
import io.starling.dht.kube.ObjectClient;
import io.starling.scheduler.controller.deployment.DeploymentController;
import io.starling.scheduler.controller.endpoints.EndpointsController;
import io.starling.scheduler.controller.gc.GarbageCollector;
import io.starling.scheduler.controller.gc.NamespaceController;
import io.starling.scheduler.controller.gc.PodGarbageCollector;
import io.starling.scheduler.controller.node.NodeLifecycleController;
import io.starling.scheduler.controller.replicaset.ReplicaSetController;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * All controllers of one site on one event loop, sharing informers. The caller runs it under a
 * {@link io.starling.scheduler.election.LeaderElector} (role "controllers"): start() on
 * onStartedLeading, stop() on onStoppedLeading. A manager is started at most once; build a new one
 * after stop().
 */
public final class ControllerManager implements io.starling.scheduler.election.LeaderElectedService.Service {
    private final ControllerContext ctx;
    private final ReplicaSetController replicaSets;
    private final DeploymentController deployments;
    private final GarbageCollector garbageCollector;
    private final NamespaceController namespaces;
    private final PodGarbageCollector podGc;
    private final NodeLifecycleController nodeLifecycle;
    private final EndpointsController endpoints;
    private final List<KeyedController> all;
    private boolean started;

    /** Randomness (pod and event names) is derived from the site name and the loop's clock. */
    public ControllerManager(ControllerConfig cfg, ObjectClient client, EventLoop loop) {
        this(cfg, client, loop, new SeededRandom(seed(cfg.site(), loop.clock().wallMillis())));
    }

    public ControllerManager(ControllerConfig cfg, ObjectClient client, EventLoop loop, RandomSource random) {
        // every continuation of a store call runs on our loop, whatever thread the store uses
        ObjectClient bound = io.starling.scheduler.queue.LoopBoundStore.bind(client, loop, random.derive("uids"));
        this.ctx = ControllerContext.create(cfg, bound, loop, random);
        this.replicaSets = new ReplicaSetController(ctx);
        this.deployments = new DeploymentController(ctx);
        this.garbageCollector = new GarbageCollector(ctx);
        this.namespaces = new NamespaceController(ctx);
        this.podGc = new PodGarbageCollector(ctx);
        this.nodeLifecycle = new NodeLifecycleController(ctx);
        this.endpoints = new EndpointsController(ctx);
        this.all = List.of(replicaSets, deployments, garbageCollector, namespaces, podGc, nodeLifecycle, endpoints);
    }

    @Override
    public void start() {
        ctx.loop().execute(() -> {
            if (started) {
                return;
            }
            started = true;
            all.forEach(KeyedController::start);
            ctx.informers().all().forEach(inf -> inf.addSyncListener(() -> all.forEach(KeyedController::pump)));
            ctx.informers().start();
        });
    }

    @Override
    public void stop() {
        ctx.loop().execute(() -> {
            all.forEach(KeyedController::stop);
            ctx.informers().stop();
        });
    }

    public boolean hasSynced() {
        return ctx.informers().allSynced();
    }

    public ControllerContext context() {
        return ctx;
    }

    public List<KeyedController> controllers() {
        return all;
    }

    private static long seed(String site, long wallMillis) {
        long h = 0xcbf29ce484222325L;
        for (byte b : site.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ b) * 0x100000001b3L;
        }
        return h ^ wallMillis;
    }
}
