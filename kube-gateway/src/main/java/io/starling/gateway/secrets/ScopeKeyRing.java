package io.starling.gateway.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.dht.store.ObjectKey;
import io.starling.dht.store.Precondition;
import io.starling.dht.store.Versioned;
import io.starling.gateway.api.Json;
import io.starling.gateway.scope.ScopeSnapshot;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * One super-peer's view of the scope keys at one moment (pure: built from what was listed, no I/O).
 *
 * <p><b>Eligibility.</b> A super-peer may hold a scope's keys when its site is one of the scope's
 * {@code spec.sites} (empty = every site). The ring holds a key when a wrap for this peer's node id
 * opens with its agreement key and the scope's sites (if the scope still exists) include this
 * peer's site.
 *
 * <p><b>Reconcile</b> ({@link #plan}), level-triggered: for every key it holds, add wraps for the
 * eligible published peers that lack one and remove the wraps of known peers whose site is no
 * longer eligible (honest peers then forget the key; a copy taken before stays usable until
 * rotation, which is not implemented). A scope with no key object at all gets one, created by an
 * eligible peer and named after its site, so two sites cut off from each other never write the same
 * object: both keys survive the heal and both stay readable. Updates are compare-and-set, so
 * concurrent reconcilers never drop each other's wraps.
 */
public final class ScopeKeyRing {
    public static final String VERSION = "1";

    /** A key object as listed: its name, scope, wraps by node id, and the store revision. */
    public record KeyObject(String name, String scope, SortedMap<String, String> wraps, long revision, ObjectNode json) {}

    public record HeldKey(String scope, String keyId, byte[] key) {}

    public record Write(ObjectKey key, byte[] value, Precondition precondition, String why) {}

    private final String selfHex;
    private final String selfSite;
    private final ScopeSnapshot scopes;
    private final SortedMap<String, PeerKey> peers = new TreeMap<>();
    private final SortedMap<String, KeyObject> objects = new TreeMap<>();
    /** scope -> key id -> key. */
    private final SortedMap<String, SortedMap<String, byte[]>> held = new TreeMap<>();
    private final List<String> problems = new ArrayList<>();

    /**
     * @param unwrap opens a wrap for this peer: (key id, wrapped bytes) -> key, or throws {@link SealException}
     */
    public ScopeKeyRing(String selfHex, String selfSite, ScopeSnapshot scopes, Collection<PeerKey> peers,
                        Collection<KeyObject> objects, java.util.function.BiFunction<String, byte[], byte[]> unwrap) {
        this.selfHex = selfHex;
        this.selfSite = selfSite;
        this.scopes = scopes;
        peers.forEach(p -> this.peers.put(p.nodeHex(), p));
        objects.forEach(o -> this.objects.put(o.name(), o));
        for (KeyObject o : this.objects.values()) {
            String mine = o.wraps().get(selfHex);
            if (mine == null || !mayHold(o.scope())) {
                continue;
            }
            try {
                byte[] key = unwrap.apply(o.name(), Base64.getDecoder().decode(mine));
                held.computeIfAbsent(o.scope(), k -> new TreeMap<>()).put(o.name(), key);
            } catch (SealException | IllegalArgumentException e) {
                problems.add(o.name() + ": " + e.getMessage());
            }
        }
    }

    /** Parses a listed key object; empty when it is not one. */
    public static Optional<KeyObject> parse(Versioned v) {
        if (v.value() == null) {
            return Optional.empty();
        }
        try {
            ObjectNode o = Json.parseObject(v.value());
            String scope = o.path("spec").path("scope").asText("");
            if (scope.isEmpty()) {
                return Optional.empty();
            }
            SortedMap<String, String> wraps = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = o.path("data").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                wraps.put(e.getKey(), e.getValue().asText(""));
            }
            return Optional.of(new KeyObject(v.key().name(), scope, wraps, v.revision(), o));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    public static String keyName(String scope, String site) {
        return scope + "." + site + "." + VERSION;
    }

    public ScopeSnapshot scopes() {
        return scopes;
    }

    public String site() {
        return selfSite;
    }

    /** Whether this peer's site may hold the scope's keys and seal its data (false for an unknown scope). */
    public boolean eligible(String scope) {
        return scopes.sitesOfScope(scope).map(s -> s.isEmpty() || s.contains(selfSite)).orElse(false);
    }

    /**
     * Whether this peer may use a key wrapped for it: not when the scope's sites exclude its site;
     * yes for a scope that no longer exists, so deleting a Scope does not make its Secrets unreadable
     * to the super-peers that held the key.
     */
    public boolean mayHold(String scope) {
        return scopes.sitesOfScope(scope).map(s -> s.isEmpty() || s.contains(selfSite)).orElse(true);
    }

    /** "[a, b]" or "[every site]": where a scope's data can be read, for messages. */
    public String sitesText(String scope) {
        Optional<Set<String>> s = scopes.sitesOfScope(scope);
        if (s.isEmpty()) {
            return "[unknown scope]";
        }
        return s.get().isEmpty() ? "[every site]" : s.get().toString();
    }

    /** The key new data of the scope is sealed with: the first held key by id, so peers agree once wraps spread. */
    public Optional<HeldKey> sealingKey(String scope) {
        SortedMap<String, byte[]> keys = held.get(scope);
        if (keys == null || keys.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new HeldKey(scope, keys.firstKey(), keys.get(keys.firstKey())));
    }

    public Optional<byte[]> key(String scope, String keyId) {
        SortedMap<String, byte[]> keys = held.get(scope);
        return keys == null ? Optional.empty() : Optional.ofNullable(keys.get(keyId));
    }

    public boolean hasObject(String name) {
        return objects.containsKey(name);
    }

    /** Peers whose wraps failed to open (for logs). */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    public Optional<PeerKey> peer(String nodeHex) {
        return Optional.ofNullable(peers.get(nodeHex));
    }

    private boolean eligiblePeer(String scope, PeerKey p) {
        Set<String> sites = scopes.sitesOfScope(scope).orElse(Set.of());
        return sites.isEmpty() || sites.contains(p.site());
    }

    /** A new key object for the scope, wrapped for every eligible published peer and this one. */
    public Optional<Write> create(String scope, byte[] key, byte[] selfAgreementKey) {
        String name = keyName(scope, selfSite);
        if (!eligible(scope) || objects.containsKey(name)) {
            return Optional.empty();
        }
        ObjectNode o = Json.object();
        o.put("apiVersion", SecretStores.API_VERSION);
        o.put("kind", "ScopeKey");
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", name);
        meta.put("uid", name); // one instance per name: wraps added at different sites merge field by field
        ObjectNode spec = o.putObject("spec");
        spec.put("scope", scope);
        spec.put("site", selfSite);
        spec.put("version", VERSION);
        ObjectNode data = o.putObject("data");
        data.put(selfHex, b64(KeyWrap.wrap(key, selfAgreementKey, name, selfHex)));
        for (PeerKey p : peers.values()) {
            if (!p.nodeHex().equals(selfHex) && eligiblePeer(scope, p)) {
                data.put(p.nodeHex(), b64(KeyWrap.wrap(key, p.agreementKey(), name, p.nodeHex())));
            }
        }
        return Optional.of(new Write(SecretStores.scopeKeys().object(name), Json.bytes(o), Precondition.MUST_NOT_EXIST,
                "create key " + name));
    }

    /** The writes that bring the wraps of held keys in line with eligibility, and first keys for keyless scopes. */
    public List<Write> plan(Supplier<byte[]> newKeys, byte[] selfAgreementKey) {
        List<Write> out = new ArrayList<>();
        for (KeyObject o : objects.values()) {
            Optional<byte[]> key = key(o.scope(), o.name());
            if (key.isEmpty()) {
                continue;
            }
            ObjectNode next = o.json().deepCopy();
            ObjectNode data = Json.with(next, "data");
            List<String> changes = new ArrayList<>();
            for (PeerKey p : peers.values()) {
                boolean ok = eligiblePeer(o.scope(), p);
                if (ok && !o.wraps().containsKey(p.nodeHex())) {
                    data.put(p.nodeHex(), b64(KeyWrap.wrap(key.get(), p.agreementKey(), o.name(), p.nodeHex())));
                    changes.add("+" + p.nodeHex().substring(0, 8));
                } else if (!ok && o.wraps().containsKey(p.nodeHex())) {
                    data.remove(p.nodeHex());
                    changes.add("-" + p.nodeHex().substring(0, 8));
                }
            }
            if (!changes.isEmpty()) {
                out.add(new Write(SecretStores.scopeKeys().object(o.name()), Json.bytes(next),
                        Precondition.revisionEquals(o.revision()), "rewrap " + o.name() + " " + changes));
            }
        }
        for (String scope : scopes.scopeNames()) {
            boolean any = objects.values().stream().anyMatch(o -> o.scope().equals(scope));
            if (!any) {
                create(scope, newKeys.get(), selfAgreementKey).ifPresent(out::add);
            }
        }
        return out;
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
