package io.starling.gateway.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.core.exec.ThreadEventLoop;
import io.starling.core.identity.PeerIdentity;
import io.starling.dht.kube.Resources;
import io.starling.dht.store.CollectionKey;
import io.starling.dht.store.MemoryClusterStore;
import io.starling.dht.store.ObjectKey;
import io.starling.dht.store.Precondition;
import io.starling.dht.store.Versioned;
import io.starling.gateway.api.Json;
import io.starling.gateway.scope.ScopeResource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two "super-peers" (site a, shared with the scope; site b, not) over one store standing for the
 * replicated DHT: what is stored holds no plaintext, a reads it back, b cannot, and a super-peer
 * of site a that joins later gets the key from the one that has it.
 */
class SealingClusterStoreTest {
    static final String VALUE = "s3cr3t-db-password";
    private final ThreadEventLoop loop = new ThreadEventLoop("store");
    private final MemoryClusterStore raw = new MemoryClusterStore(loop, "a");
    private final List<ScopeKeyKeeper> keepers = new ArrayList<>();

    @AfterEach
    void close() {
        keepers.forEach(ScopeKeyKeeper::close);
        loop.close();
    }

    static byte[] scope(String name, String namespace, List<String> sites) {
        return ("{\"apiVersion\":\"scopes.starling.io/v1alpha1\",\"kind\":\"Scope\",\"metadata\":{\"name\":\"" + name
                + "\"},\"spec\":{\"namespaces\":[\"" + namespace + "\"],\"members\":[],\"sites\":"
                + sites.stream().map(s -> "\"" + s + "\"").toList() + "}}").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] secret(String ns, String name) {
        return ("{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + ns
                + "\",\"uid\":\"uid-" + name + "\"},\"stringData\":{\"password\":\"" + VALUE + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    static boolean leaks(byte[] stored) {
        String text = new String(stored, StandardCharsets.UTF_8);
        return text.contains(VALUE) || text.contains(Base64.getEncoder().encodeToString(VALUE.getBytes(StandardCharsets.UTF_8)));
    }

    private SealingClusterStore superPeer(String site) throws Exception {
        ScopeKeyKeeper k = new ScopeKeyKeeper(raw, loop, PeerIdentity.generate(0), site, AgreementKey.generate());
        keepers.add(k);
        k.start().get(10, TimeUnit.SECONDS);
        return new SealingClusterStore(raw, k);
    }

    private static ObjectKey key(String ns, String name) {
        return Resources.SECRETS.collection(CollectionKey.DEFAULT_SCOPE, ns).object(name);
    }

    private static String password(Versioned v) {
        ObjectNode o = Json.parseObject(v.value());
        return new String(Base64.getDecoder().decode(o.path("data").path("password").asText()), StandardCharsets.UTF_8);
    }

    @Test
    void secretsOfAScopeAreStoredSealedAndReadOnlyWhereTheScopeIsShared() throws Exception {
        raw.put(ScopeResource.collection().object("team"), scope("team", "ta", List.of("a")), Precondition.NONE).get();
        SealingClusterStore a = superPeer("a");
        SealingClusterStore b = superPeer("b");

        Versioned written = a.put(key("ta", "db"), secret("ta", "db"), Precondition.MUST_NOT_EXIST).get(10, TimeUnit.SECONDS);
        assertEquals(VALUE, password(written), "the writer gets the object back with its data");
        Versioned stored = raw.get(key("ta", "db")).get().orElseThrow();
        assertFalse(leaks(stored.value()), new String(stored.value(), StandardCharsets.UTF_8));
        assertTrue(new String(stored.value(), StandardCharsets.UTF_8).contains(SecretSeal.SEALED));

        assertEquals(VALUE, password(a.get(key("ta", "db")).get().orElseThrow()));
        assertEquals(VALUE, password(a.list(key("ta", "db").collection()).get().items().get(0)));

        ObjectNode got = Json.parseObject(b.get(key("ta", "db")).get().orElseThrow().value());
        assertFalse(got.has("data"));
        String note = got.path("metadata").path("annotations").path(SecretSeal.REDACTED).asText();
        assertTrue(note.contains("sealed to sites [a]") && note.contains("site b"), note);

        Versioned listed = b.list(key("ta", "db").collection()).get().items().get(0);
        ObjectNode redacted = Json.parseObject(listed.value());
        assertFalse(redacted.has("data"));
        assertFalse(leaks(listed.value()));
        assertFalse(redacted.path("metadata").path("annotations").has(SecretSeal.SEALED), "no ciphertext handed out");
        assertTrue(redacted.path("metadata").path("annotations").path(SecretSeal.REDACTED).asText().contains("[a]"));

        // b can neither seal new data of the scope nor write back a redacted copy
        ExecutionException w = assertThrows(ExecutionException.class,
                () -> b.put(key("ta", "other"), secret("ta", "other"), Precondition.NONE).get());
        assertTrue(w.getCause().getMessage().contains("sealed to sites [a]"), w.getCause().getMessage());
        assertThrows(ExecutionException.class, () -> b.put(key("ta", "db"), listed.value(), Precondition.NONE).get());
        assertEquals(VALUE, password(a.get(key("ta", "db")).get().orElseThrow()), "nothing erased");
    }

    @Test
    void aSecondSuperPeerOfASharedSiteGetsTheKeyFromTheFirst() throws Exception {
        raw.put(ScopeResource.collection().object("team"), scope("team", "ta", List.of("a")), Precondition.NONE).get();
        SealingClusterStore a1 = superPeer("a");
        a1.put(key("ta", "db"), secret("ta", "db"), Precondition.MUST_NOT_EXIST).get(10, TimeUnit.SECONDS);
        SealingClusterStore a2 = superPeer("a");
        await(() -> {
            try {
                return VALUE.equals(password(a2.get(key("ta", "db")).get().orElseThrow()));
            } catch (Exception ex) {
                return false;
            }
        });
    }

    @Test
    void sharingASiteHandsItTheKeyAndUnsharingTakesItsWrapsAway() throws Exception {
        ObjectKey scopeKey = ScopeResource.collection().object("team");
        raw.put(scopeKey, scope("team", "ta", List.of("a")), Precondition.NONE).get();
        SealingClusterStore a = superPeer("a");
        SealingClusterStore b = superPeer("b");
        a.put(key("ta", "db"), secret("ta", "db"), Precondition.MUST_NOT_EXIST).get(10, TimeUnit.SECONDS);
        assertFalse(readable(b));

        raw.put(scopeKey, scope("team", "ta", List.of("a", "b")), Precondition.NONE).get();
        await(() -> readable(b));

        raw.put(scopeKey, scope("team", "ta", List.of("a")), Precondition.NONE).get();
        await(() -> !readable(b));
        await(() -> {
            try {
                return raw.list(SecretStores.scopeKeys()).get().items().stream()
                        .allMatch(v -> ScopeKeyRing.parse(v).orElseThrow().wraps().size() == 1);
            } catch (Exception e) {
                return false;
            }
        });
        assertTrue(readable(a));
    }

    private static boolean readable(SealingClusterStore s) {
        try {
            return VALUE.equals(password(s.get(key("ta", "db")).get().orElseThrow()));
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void secretsOutsideEveryScopeStayAsToday() throws Exception {
        raw.put(ScopeResource.collection().object("team"), scope("team", "ta", List.of("a")), Precondition.NONE).get();
        SealingClusterStore b = superPeer("b");
        b.put(key("plain", "db"), secret("plain", "db"), Precondition.NONE).get(10, TimeUnit.SECONDS);
        Versioned stored = raw.get(key("plain", "db")).get().orElseThrow();
        assertTrue(new String(stored.value(), StandardCharsets.UTF_8).contains("stringData"), "stored as written");
    }

    @Test
    void updatesThatDoNotTouchTheDataLeaveTheSealedAnnotationAlone() throws Exception {
        raw.put(ScopeResource.collection().object("team"), scope("team", "ta", List.of()), Precondition.NONE).get();
        SealingClusterStore a = superPeer("a");
        Versioned v1 = a.put(key("ta", "db"), secret("ta", "db"), Precondition.MUST_NOT_EXIST).get(10, TimeUnit.SECONDS);
        String sealed1 = Json.parseObject(raw.get(key("ta", "db")).get().orElseThrow().value())
                .path("metadata").path("annotations").path(SecretSeal.SEALED).asText();
        ObjectNode o = Json.parseObject(v1.value());
        Json.with(Json.with(o, "metadata"), "labels").put("tier", "db");
        a.put(key("ta", "db"), Json.bytes(o), Precondition.revisionEquals(v1.revision())).get(10, TimeUnit.SECONDS);
        String sealed2 = Json.parseObject(raw.get(key("ta", "db")).get().orElseThrow().value())
                .path("metadata").path("annotations").path(SecretSeal.SEALED).asText();
        assertEquals(sealed1, sealed2, "one field for the merge, unchanged when the data is");
    }

    static void await(BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met in 20 s");
            }
            Thread.sleep(50);
        }
    }
}
