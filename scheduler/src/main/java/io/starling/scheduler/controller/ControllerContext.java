package io.starling.scheduler.controller;

import io.starling.core.exec.EventLoop;
import io.starling.core.random.RandomSource;
import io.starling.dht.kube.ObjectClient;

/** What every controller of a manager shares: client, loop, settings, informers, events, randomness. */
public record ControllerContext(ControllerConfig cfg, ObjectClient client, EventLoop loop, Informers informers,
                                EventRecorder events, RandomSource random, HomeSite home, PodDeleter pods) {
    public static ControllerContext create(ControllerConfig cfg, ObjectClient client, EventLoop loop, RandomSource random) {
        return new ControllerContext(cfg, client, loop, new Informers(client, loop),
                new EventRecorder(client, random.derive("events"), cfg.site()), random, new HomeSite(cfg),
                new PodDeleter(client));
    }

    public long nowWallMillis() {
        return loop.clock().wallMillis();
    }

    public long nowMonoMillis() {
        return loop.clock().monoMillis();
    }
}
