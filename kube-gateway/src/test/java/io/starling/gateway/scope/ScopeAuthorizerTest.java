package io.starling.gateway.scope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.starling.dht.kube.Resources;
import io.starling.gateway.Authenticator.User;
import io.starling.gateway.api.Access;
import io.starling.gateway.api.ApiException;
import io.starling.gateway.api.Target;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The authorization rules as a table, on a hand-made snapshot. */
class ScopeAuthorizerTest {
    private static Scope scope(List<String> namespaces, String user, String role, String... tokenHashes) {
        Scope s = new Scope();
        Scope.Spec spec = new Scope.Spec();
        spec.setNamespaces(namespaces);
        Scope.Member m = new Scope.Member();
        m.setUser(user);
        m.setRole(role);
        m.setTokenHashes(List.of(tokenHashes));
        spec.setMembers(List.of(m));
        s.setSpec(spec);
        return s;
    }

    private final AtomicReference<ScopeSnapshot> snap = new AtomicReference<>(new ScopeSnapshot(List.of(
            scope(List.of("a1", "a2"), "alice", "owner"),
            scope(List.of("a1"), "carol", "member", Tokens.sha256Hex("t")))));
    private final ScopeAuthorizer auth = new ScopeAuthorizer(snap::get);
    private final User alice = new User("alice", List.of());
    private final User carol = new User("carol", List.of());
    private final User stranger = new User("eve", List.of());

    private static Target ns(String namespace, String name) {
        return new Target(Resources.CONFIGMAPS, namespace, name, null);
    }

    private void denied(User u, String verb, Target t) {
        ApiException e = assertThrows(ApiException.class, () -> auth.authorize(u, verb, t), u.name() + " " + verb + " " + t);
        assertEquals(403, e.code());
    }

    @Test
    void adminsMayDoAnything() {
        User admin = new User("root", List.of("system:masters"));
        assertEquals(Access.ALL, auth.authorize(admin, "delete", new Target(Resources.NODES, null, "n", null)));
        assertEquals(Access.ALL, auth.authorize(admin, "create", new Target(ScopeResource.TYPE, null, "x", null)));
    }

    @Test
    void namespacedObjectsOnlyInsideTheUsersNamespaces() {
        for (String verb : List.of("get", "create", "update", "patch", "delete")) {
            auth.authorize(carol, verb, ns("a1", "x"));
            denied(carol, verb, ns("a2", "x"));
            denied(stranger, verb, ns("a1", "x"));
        }
        Access all = auth.authorize(carol, "list", ns(null, null));
        assertTrue(all.seesNamespace("a1"));
        assertFalse(all.seesNamespace("a2"));
        denied(carol, "deletecollection", ns(null, null));
    }

    @Test
    void namespacesAreCreatedAndDeletedByOwnersOnly() {
        Target a2 = new Target(Resources.NAMESPACES, null, "a2", null);
        auth.authorize(alice, "create", a2);
        auth.authorize(alice, "delete", a2);
        denied(alice, "create", new Target(Resources.NAMESPACES, null, "zz", null));
        auth.authorize(carol, "get", new Target(Resources.NAMESPACES, null, "a1", null));
        denied(carol, "delete", new Target(Resources.NAMESPACES, null, "a1", null));
        denied(carol, "create", new Target(Resources.NAMESPACES, null, "a1", null));
    }

    @Test
    void nodesAreReadOnlyForMembersAndScopesAreAdminOnly() {
        auth.authorize(carol, "list", new Target(Resources.NODES, null, null, null));
        denied(carol, "patch", new Target(Resources.NODES, null, "n", null));
        denied(stranger, "list", new Target(Resources.NODES, null, null, null));
        denied(alice, "get", new Target(ScopeResource.TYPE, null, "s", null));
    }

    @Test
    void accessFollowsTheLiveSnapshotAndTokensDieWithTheirMember() {
        Access a = auth.authorize(carol, "watch", ns(null, null));
        assertEquals("carol", snap.get().userForTokenHash(Tokens.sha256Hex("t")).orElseThrow());
        snap.set(new ScopeSnapshot(List.of(scope(List.of("a1", "a2"), "alice", "owner"))));
        assertFalse(a.seesNamespace("a1"), "a watch opened before the revoke sees nothing after it");
        assertTrue(snap.get().userForTokenHash(Tokens.sha256Hex("t")).isEmpty());
    }

    @Test
    void certificateSubjectNamesUserAndGroups() {
        io.starling.core.security.ClusterCa ca = io.starling.core.security.ClusterCa.create("t",
                io.starling.core.time.SystemClock.INSTANCE);
        var cert = ca.issueClientCertificate("alice", List.of("system:masters", "devs")).certificate();
        User u = ClusterAuthenticator.fromCertificate(cert).orElseThrow();
        assertEquals("alice", u.name());
        assertEquals(List.of("system:masters", "devs").stream().sorted().toList(), u.groups().stream().sorted().toList());
    }
}
