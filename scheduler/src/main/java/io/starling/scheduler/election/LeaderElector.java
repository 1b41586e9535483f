package io.starling.scheduler.election;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.starling.core.exec.Cancellable;
import io.starling.core.exec.EventLoop;
import io.starling.dht.kube.KubeJson;
import io.starling.dht.kube.ObjectClient;
import io.starling.dht.kube.Resources;
import io.starling.dht.store.StoreException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Leader election through a Lease object, written only with compare-and-set.
 *
 * <p>Implementation notes: like client-go, a follower does not trust the holder's renewTime (the
 * holder's clock may differ); it measures expiry on its own monotonic clock from the moment it
 * last saw the lease record change. So a crashed leader is replaced at most
 * {@code leaseDurationMillis + retryPeriodMillis} after its last renewal. A leader that cannot renew
 * for {@code renewDeadlineMillis} (shorter than the lease) steps down before anyone else may take
 * over, so two leaders never act at once as long as clocks run at similar rates. One attempt is in
 * flight at a time; attempts run on the loop.
 */
public final class LeaderElector implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LeaderElector.class.getName());

    private final ObjectClient client;
    private final EventLoop loop;
    private final LeaderElectionConfig cfg;
    private final LeaderCallbacks callbacks;

    private boolean running;
    private boolean leading;
    private boolean attemptInFlight;
    private Cancellable timer = Cancellable.NONE;
    /** The lease record as last seen (resourceVersion) and when, on our monotonic clock. */
    private String observedVersion;
    private String observedHolder;
    private long observedAtMillis;
    private long lastRenewMillis;

    public LeaderElector(ObjectClient client, EventLoop loop, LeaderElectionConfig cfg, LeaderCallbacks callbacks) {
        this.loop = Objects.requireNonNull(loop);
        // continuations touch this elector's fields: they must run on its loop
        this.client = io.starling.scheduler.queue.LoopBoundStore.bind(Objects.requireNonNull(client), loop,
                new io.starling.core.random.SeededRandom(cfg.identity().hashCode() ^ loop.clock().wallMillis()));
        this.cfg = Objects.requireNonNull(cfg);
        this.callbacks = Objects.requireNonNull(callbacks);
    }

    public LeaderElectionConfig config() {
        return cfg;
    }

    /** Starts campaigning (first attempt at once). */
    public void start() {
        loop.execute(() -> {
            if (running) {
                return;
            }
            running = true;
            attempt();
        });
    }

    public boolean isLeader() {
        return leading;
    }

    /** The holder last seen in the lease, or null. */
    public String observedLeader() {
        return observedHolder;
    }

    /** Stops campaigning and, if leading, steps down and releases the lease so a peer takes over at once. */
    @Override
    public void close() {
        loop.execute(() -> shutdown(true));
    }

    /** Stops campaigning without releasing the lease (as if the process died): peers wait for expiry. */
    public void abandon() {
        loop.execute(() -> shutdown(false));
    }

    private void shutdown(boolean release) {
        if (!running) {
            return;
        }
        running = false;
        timer.cancel();
        if (leading) {
            leading = false;
            if (release) {
                release();
            }
            callbacks.onStoppedLeading();
        }
    }

    private void attempt() {
        if (!running || attemptInFlight) {
            return;
        }
        attemptInFlight = true;
        tryAcquireOrRenew().whenComplete((ok, error) -> loop.execute(() -> {
            attemptInFlight = false;
            if (!running) {
                return;
            }
            long now = nowMillis();
            boolean success = error == null && Boolean.TRUE.equals(ok);
            if (error != null && !(unwrap(error) instanceof StoreException)) {
                LOG.log(Level.FINE, cfg.leaseName() + ": election attempt failed", error);
            }
            if (success) {
                lastRenewMillis = now;
                if (!leading) {
                    leading = true;
                    callbacks.onStartedLeading();
                }
            } else if (leading && (now - lastRenewMillis >= cfg.renewDeadlineMillis() || lostToOther())) {
                leading = false;
                callbacks.onStoppedLeading();
            }
            timer = loop.schedule(leading ? cfg.renewPeriodMillis() : cfg.retryPeriodMillis(), this::attempt);
        }));
    }

    private boolean lostToOther() {
        return observedHolder != null && !observedHolder.isEmpty() && !observedHolder.equals(cfg.identity());
    }

    /** One round: create the lease, renew it, or take it over when expired. True if we hold it now. */
    private CompletableFuture<Boolean> tryAcquireOrRenew() {
        return client.get(Lease.class, cfg.leaseNamespace(), cfg.leaseName()).thenCompose(found -> {
            long now = nowMillis();
            if (found.isEmpty()) {
                return client.create(newLease(0)).thenApply(this::observe).thenApply(l -> true);
            }
            Lease lease = found.get();
            observe(lease);
            LeaseSpec spec = Optional.ofNullable(lease.getSpec()).orElseGet(LeaseSpec::new);
            String holder = spec.getHolderIdentity();
            boolean mine = cfg.identity().equals(holder);
            boolean free = holder == null || holder.isEmpty();
            long durationMillis = spec.getLeaseDurationSeconds() == null ? cfg.leaseDurationMillis()
                    : spec.getLeaseDurationSeconds() * 1000L;
            boolean expired = now - observedAtMillis >= durationMillis;
            if (!mine && !free && !expired) {
                return CompletableFuture.completedFuture(false);
            }
            Lease next = KubeJson.copy(lease, Lease.class);
            LeaseSpec ns = next.getSpec() == null ? new LeaseSpec() : next.getSpec();
            next.setSpec(ns);
            ZonedDateTime t = nowTime();
            if (!mine) {
                ns.setAcquireTime(t);
                ns.setLeaseTransitions((ns.getLeaseTransitions() == null ? 0 : ns.getLeaseTransitions()) + 1);
            }
            ns.setHolderIdentity(cfg.identity());
            ns.setLeaseDurationSeconds(durationSeconds());
            ns.setRenewTime(t);
            return client.update(next).thenApply(this::observe).thenApply(l -> true);
        });
    }

    private void release() {
        client.get(Lease.class, cfg.leaseNamespace(), cfg.leaseName()).thenCompose(found -> {
            if (found.isEmpty() || found.get().getSpec() == null
                    || !cfg.identity().equals(found.get().getSpec().getHolderIdentity())) {
                return CompletableFuture.completedFuture(null);
            }
            Lease next = KubeJson.copy(found.get(), Lease.class);
            next.getSpec().setHolderIdentity("");
            next.getSpec().setLeaseDurationSeconds(1);
            next.getSpec().setRenewTime(nowTime());
            return client.update(next);
        }).exceptionally(e -> null);
    }

    private Lease observe(Lease lease) {
        String rv = lease.getMetadata().getResourceVersion();
        if (!Objects.equals(rv, observedVersion)) {
            observedVersion = rv;
            observedAtMillis = nowMillis();
            String holder = lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
            if (!Objects.equals(holder, observedHolder)) {
                observedHolder = holder;
                if (holder != null && !holder.isEmpty()) {
                    callbacks.onNewLeader(holder);
                }
            }
        }
        return lease;
    }

    private Lease newLease(int transitions) {
        Lease lease = new Lease();
        ObjectMeta meta = new ObjectMeta();
        meta.setName(cfg.leaseName());
        meta.setNamespace(cfg.leaseNamespace());
        meta.setLabels(new java.util.TreeMap<>(java.util.Map.of("starling.io/role", cfg.role(), "starling.io/site", cfg.site())));
        lease.setMetadata(meta);
        lease.setKind(Resources.LEASES.kind());
        LeaseSpec spec = new LeaseSpec();
        ZonedDateTime t = nowTime();
        spec.setHolderIdentity(cfg.identity());
        spec.setLeaseDurationSeconds(durationSeconds());
        spec.setAcquireTime(t);
        spec.setRenewTime(t);
        spec.setLeaseTransitions(transitions);
        lease.setSpec(spec);
        return lease;
    }

    private int durationSeconds() {
        return (int) Math.max(1, (cfg.leaseDurationMillis() + 999) / 1000);
    }

    private long nowMillis() {
        return loop.clock().monoMillis();
    }

    private ZonedDateTime nowTime() {
        return Instant.ofEpochMilli(loop.clock().wallMillis()).atZone(ZoneOffset.UTC);
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
