package io.starling.runtime.agent;

import io.fabric8.kubernetes.api.model.Service;
import io.starling.core.exec.EventLoop;
import io.starling.dht.kube.ObjectClient;
import io.starling.dht.kube.Resources;
import io.starling.dht.store.Watch;
import io.starling.dht.store.WatchEvent;
import io.starling.dht.store.WatchListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Services of the namespaces the agent's pods live in, kept by list+watch like the kubelet's
 * Service informer, so a pod sync reads them locally instead of listing them over the network: on
 * a node with 100 pods the periodic resyncs alone would list Services 10 times a second.
 *
 * <p>A namespace is listed on first use; {@link #ready} completes once it has been listed (and
 * fails if that first list fails, so the sync fails and is retried, as before). After that the
 * watch keeps it current; a watch that reports Gone re-lists after {@code relistBackoffMillis},
 * serving the last known Services meanwhile. Runs on the event loop; futures complete on it.
 */
final class ServiceInformer {
    private static final Logger LOG = Logger.getLogger(ServiceInformer.class.getName());

    private final ObjectClient client;
    private final EventLoop loop;
    private final long relistBackoffMillis;
    private final TreeMap<String, Cache> namespaces = new TreeMap<>();
    private boolean closed;

    /** One namespace's Services; {@code synced} once its first list completed. */
    private static final class Cache {
        final TreeMap<String, Service> services = new TreeMap<>();
        final List<CompletableFuture<Void>> waiters = new ArrayList<>();
        boolean synced;
        boolean listing;
        Watch watch = () -> {};
    }

    ServiceInformer(ObjectClient client, EventLoop loop, long relistBackoffMillis) {
        this.client = client;
        this.loop = loop;
        this.relistBackoffMillis = relistBackoffMillis;
    }

    /** Completes once {@code ns} has been listed; starts its list+watch on first use. Call on the loop. */
    CompletableFuture<Void> ready(String ns) {
        Cache c = namespaces.computeIfAbsent(ns, k -> new Cache());
        if (c.synced) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        c.waiters.add(f);
        if (!c.listing) {
            list(ns, c);
        }
        return f;
    }

    /** The Services of a namespace that is {@link #ready}, by name. Call on the loop. */
    List<Service> list(String ns) {
        Cache c = namespaces.get(ns);
        return c == null ? List.of() : new ArrayList<>(c.services.values());
    }

    Optional<Service> get(String ns, String name) {
        Cache c = namespaces.get(ns);
        return c == null ? Optional.empty() : Optional.ofNullable(c.services.get(name));
    }

    private void list(String ns, Cache c) {
        if (closed || namespaces.get(ns) != c) {
            return;
        }
        c.listing = true;
        client.listWithRevision(Service.class, ns).whenComplete((listed, err) -> loop.execute(() -> {
            c.listing = false;
            if (closed || namespaces.get(ns) != c) {
                return;
            }
            if (err != null) {
                LOG.log(Level.FINE, "service list of " + ns + " failed", err);
                List<CompletableFuture<Void>> failed = new ArrayList<>(c.waiters);
                c.waiters.clear();
                failed.forEach(f -> f.completeExceptionally(err));
                if (c.synced) {
                    // a re-list after Gone: keep serving what we have and try again
                    loop.schedule(relistBackoffMillis, () -> list(ns, c));
                }
                return;
            }
            c.services.clear();
            for (Service s : listed.items()) {
                c.services.put(s.getMetadata().getName(), s);
            }
            c.watch.close();
            c.watch = client.store().watch(client.keyOf(Resources.SERVICES, ns, "_").collection(), listed.revision(),
                    new WatchListener() {
                        @Override
                        public void onEvent(WatchEvent e) {
                            loop.execute(() -> onServiceEvent(c, e));
                        }

                        @Override
                        public void onGone(String why) {
                            loop.execute(() -> loop.schedule(relistBackoffMillis, () -> list(ns, c)));
                        }
                    });
            c.synced = true;
            List<CompletableFuture<Void>> done = new ArrayList<>(c.waiters);
            c.waiters.clear();
            done.forEach(f -> f.complete(null));
        }));
    }

    private void onServiceEvent(Cache c, WatchEvent e) {
        if (closed) {
            return;
        }
        String name = e.object().key().name();
        if (e.type() == WatchEvent.Type.DELETED) {
            c.services.remove(name);
        } else {
            c.services.put(name, ObjectClient.decode(Service.class, e.object()));
        }
    }

    void close() {
        closed = true;
        for (Cache c : namespaces.values()) {
            c.watch.close();
            c.waiters.forEach(f -> f.completeExceptionally(new IllegalStateException("agent closed")));
            c.waiters.clear();
        }
    }
}
