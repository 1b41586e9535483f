package io.starling.gateway.secrets;

import io.starling.core.exec.Cancellable;
import io.starling.core.exec.EventLoop;
import io.starling.core.identity.PeerIdentity;
import io.starling.dht.store.ClusterStore;
import io.starling.dht.store.ListResult;
import io.starling.dht.store.Precondition;
import io.starling.dht.store.StoreException;
import io.starling.dht.store.Versioned;
import io.starling.gateway.api.Json;
import io.starling.gateway.scope.ScopeDirectory;
import io.starling.gateway.secrets.ScopeKeyRing.HeldKey;
import io.starling.gateway.secrets.ScopeKeyRing.KeyObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a super-peer's side of scope-key distribution: publishes its signed key-agreement key,
 * lists the published keys and the scope-key objects every {@link #RECONCILE_MILLIS} (and when a
 * seal needs a key it does not hold yet), rebuilds the {@link ScopeKeyRing}, and carries out the
 * ring's plan (wraps for new or newly eligible peers, removal for peers no longer eligible, first
 * keys for keyless scopes). Level-triggered: a failed write is simply planned again next round.
 *
 * <p>Store futures complete on the peer's event loop; the ring is an immutable snapshot read
 * without locking. Unwrapped keys are cached by wrap text, so a round costs no key agreement
 * unless a wrap changed.
 */
public final class ScopeKeyKeeper implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ScopeKeyKeeper.class.getName());
    public static final long RECONCILE_MILLIS = 1_000;

    private final ClusterStore store;
    private final EventLoop loop;
    private final PeerIdentity identity;
    private final String selfHex;
    private final String site;
    private final AgreementKey agreement;
    private final ScopeDirectory directory;
    private final CompletableFuture<Void> ready;
    private final Map<String, byte[]> unwrapped = new ConcurrentHashMap<>();
    private volatile ScopeKeyRing ring;
    private volatile boolean published;
    private Cancellable timer = Cancellable.NONE;
    private volatile boolean closed;

    public ScopeKeyKeeper(ClusterStore store, EventLoop loop, PeerIdentity identity, String site, AgreementKey agreement) {
        this.store = store;
        this.loop = loop;
        this.identity = identity;
        this.selfHex = identity.nodeId().toHex();
        this.site = site;
        this.agreement = agreement;
        this.directory = new ScopeDirectory(store, loop);
        this.ready = new CompletableFuture<>();
        this.ring = build(List.of(), List.of());
    }

    /** Loads the scopes, then reconciles every {@link #RECONCILE_MILLIS}; {@link #ready()} completes after the first round. */
    public CompletableFuture<Void> start() {
        directory.start().thenCompose(x -> reconcile()).whenComplete((x, e) -> {
            ready.complete(null);
            synchronized (this) {
                if (!closed) {
                    timer = loop.scheduleAtFixedRate(RECONCILE_MILLIS, RECONCILE_MILLIS, () -> reconcile());
                }
            }
        });
        return ready;
    }

    /** Completes once the scopes were loaded (before that, which namespaces are scoped is unknown). */
    public CompletableFuture<Void> ready() {
        return ready;
    }

    public ScopeKeyRing ring() {
        return ring;
    }

    /** The live scope index (which namespaces are scoped). */
    public io.starling.gateway.scope.ScopeSnapshot scopes() {
        return directory.snapshot();
    }

    public String site() {
        return site;
    }

    /** The key to seal the scope's new data with; creates the scope's first key here when none is held or on its way. */
    public CompletableFuture<HeldKey> sealingKey(String scope) {
        Optional<HeldKey> k = ring.sealingKey(scope);
        if (k.isPresent()) {
            return CompletableFuture.completedFuture(k.get());
        }
        return refresh().thenCompose(r -> {
            Optional<HeldKey> again = r.sealingKey(scope);
            if (again.isPresent()) {
                return CompletableFuture.completedFuture(again.get());
            }
            if (!r.eligible(scope)) {
                return CompletableFuture.failedFuture(notEligible(r, scope));
            }
            Optional<ScopeKeyRing.Write> create = r.create(scope, KeyWrap.newScopeKey(), agreement.publicKey());
            if (create.isEmpty()) {
                return CompletableFuture.failedFuture(new StoreException(StoreException.Reason.UNAVAILABLE,
                        "the key of scope " + scope + " has not been handed to this super-peer yet; retry shortly"));
            }
            return write(create.get()).handle((v, e) -> null).thenCompose(x -> refresh()).thenCompose(r2 ->
                    r2.sealingKey(scope).map(CompletableFuture::completedFuture).orElseGet(() -> CompletableFuture.failedFuture(
                            new StoreException(StoreException.Reason.UNAVAILABLE, "the key of scope " + scope
                                    + " has not been handed to this super-peer yet; retry shortly"))));
        });
    }

    static StoreException notEligible(ScopeKeyRing r, String scope) {
        return new StoreException(StoreException.Reason.UNAVAILABLE, "secret data of scope " + scope + " is sealed to sites "
                + r.sitesText(scope) + "; this super-peer (site " + r.site() + ") holds no key of it: use a super-peer of those sites");
    }

    /** Lists the published peer keys and the scope keys and rebuilds the ring. */
    public CompletableFuture<ScopeKeyRing> refresh() {
        CompletableFuture<ListResult> peers = store.list(SecretStores.peerKeys());
        CompletableFuture<ListResult> keys = store.list(SecretStores.scopeKeys());
        return peers.thenCombine(keys, (p, k) -> {
            List<PeerKey> ps = new ArrayList<>();
            for (Versioned v : p.items()) {
                if (v.value() != null) {
                    PeerKey.verify(v.key().name(), v.value()).ifPresent(ps::add);
                }
            }
            List<KeyObject> ks = new ArrayList<>();
            for (Versioned v : k.items()) {
                ScopeKeyRing.parse(v).ifPresent(ks::add);
            }
            published = ps.stream().anyMatch(x -> x.nodeHex().equals(selfHex) && x.site().equals(site)
                    && Arrays.equals(x.agreementKey(), agreement.publicKey()));
            ScopeKeyRing r = build(ps, ks);
            ring = r;
            return r;
        });
    }

    private ScopeKeyRing build(List<PeerKey> peers, List<KeyObject> keys) {
        return new ScopeKeyRing(selfHex, site, directory.snapshot(), peers, keys, (keyId, wrap) -> {
            String cacheKey = keyId + "|" + java.util.Base64.getEncoder().encodeToString(wrap);
            byte[] k = unwrapped.get(cacheKey);
            if (k == null) {
                k = KeyWrap.unwrap(wrap, agreement, keyId, selfHex);
                unwrapped.put(cacheKey, k);
            }
            return k;
        });
    }

    /** One round: publish this peer's key if missing, refresh, apply the plan. */
    CompletableFuture<Void> reconcile() {
        if (closed) {
            return CompletableFuture.completedFuture(null);
        }
        return refresh().thenCompose(r -> {
            List<CompletableFuture<?>> writes = new ArrayList<>();
            if (!published) {
                writes.add(store.put(SecretStores.peerKeys().object(selfHex),
                        Json.bytes(PeerKey.publish(identity, site, agreement.publicKey())), Precondition.NONE));
            }
            for (ScopeKeyRing.Write w : r.plan(KeyWrap::newScopeKey, agreement.publicKey())) {
                writes.add(write(w));
            }
            if (!r.problems().isEmpty()) {
                LOG.fine("scope keys that do not open here: " + r.problems());
            }
            return CompletableFuture.allOf(writes.stream().map(f -> f.handle((v, e) -> null)).toArray(CompletableFuture[]::new));
        }).handle((v, e) -> {
            if (e != null) {
                LOG.log(Level.FINE, "scope-key reconcile failed; next round retries", e);
            }
            return null;
        });
    }

    private CompletableFuture<Versioned> write(ScopeKeyRing.Write w) {
        LOG.fine("scope keys: " + w.why());
        return store.put(w.key(), w.value(), w.precondition());
    }

    @Override
    public synchronized void close() {
        closed = true;
        timer.cancel();
        directory.close();
    }
}
