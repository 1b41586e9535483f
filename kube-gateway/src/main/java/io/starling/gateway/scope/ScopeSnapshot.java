package io.starling.gateway.scope;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An immutable index of all Scope objects at one store revision: which namespaces each user may
 * use (and as what role), which user a token hash belongs to, and which sites a namespace's pods
 * may run on. Built from scratch on every change (scopes are few and change rarely), so a reader
 * never sees half an update.
 *
 * <p>Rules: a user's namespaces are the union over all scopes naming the user; the user is owner
 * of a namespace when owner of any scope listing it. Two scopes listing one namespace both grant
 * access to it (the CLI refuses to create such an overlap). A token hash maps to the user of the
 * member entry holding it.
 */
public final class ScopeSnapshot {
    public static final ScopeSnapshot EMPTY = new ScopeSnapshot(List.of());

    private final SortedMap<String, SortedMap<String, String>> rolesByUser = new TreeMap<>();
    private final SortedMap<String, String> userByTokenHash = new TreeMap<>();
    private final SortedMap<String, SortedSet<String>> sitesByNamespace = new TreeMap<>();
    private final SortedMap<String, String> scopeByNamespace = new TreeMap<>();
    private final SortedMap<String, SortedSet<String>> sitesByScope = new TreeMap<>();
    private final int scopeCount;

    public ScopeSnapshot(Collection<Scope> scopes) {
        this.scopeCount = scopes.size();
        for (Scope s : scopes) {
            Scope.Spec spec = s.getSpec();
            if (spec == null) {
                continue;
            }
            String scopeName = s.getMetadata() == null ? null : s.getMetadata().getName();
            if (scopeName != null) {
                sitesByScope.put(scopeName, new TreeSet<>(spec.getSites()));
                for (String ns : spec.getNamespaces()) {
                    scopeByNamespace.merge(ns, scopeName, (a, b) -> a.compareTo(b) <= 0 ? a : b);
                }
            }
            for (String ns : spec.getNamespaces()) {
                if (!spec.getSites().isEmpty()) {
                    sitesByNamespace.computeIfAbsent(ns, k -> new TreeSet<>()).addAll(spec.getSites());
                }
            }
            for (Scope.Member m : spec.getMembers()) {
                if (m.getUser() == null || m.getUser().isEmpty()) {
                    continue;
                }
                String role = ScopeResource.OWNER.equals(m.getRole()) ? ScopeResource.OWNER : ScopeResource.MEMBER;
                SortedMap<String, String> roles = rolesByUser.computeIfAbsent(m.getUser(), k -> new TreeMap<>());
                for (String ns : spec.getNamespaces()) {
                    roles.merge(ns, role, (a, b) -> ScopeResource.OWNER.equals(a) ? a : b);
                }
                for (String h : m.getTokenHashes()) {
                    userByTokenHash.put(h, m.getUser());
                }
            }
        }
    }

    /** The user a token (by its SHA-256 hex) authenticates, if any scope holds it. */
    public Optional<String> userForTokenHash(String sha256Hex) {
        return Optional.ofNullable(userByTokenHash.get(sha256Hex));
    }

    /** Namespaces the user may use, sorted; empty for strangers. */
    public Set<String> namespacesOf(String user) {
        SortedMap<String, String> roles = rolesByUser.get(user);
        return roles == null ? Set.of() : Collections.unmodifiableSet(roles.keySet());
    }

    public boolean canUse(String user, String namespace) {
        SortedMap<String, String> roles = rolesByUser.get(user);
        return roles != null && roles.containsKey(namespace);
    }

    public boolean owns(String user, String namespace) {
        SortedMap<String, String> roles = rolesByUser.get(user);
        return roles != null && ScopeResource.OWNER.equals(roles.get(namespace));
    }

    /** Whether the user belongs to any scope (members may read nodes). */
    public boolean isMember(String user) {
        return rolesByUser.containsKey(user);
    }

    /** Sites a namespace's pods may run on; empty = no restriction. */
    public Set<String> sitesOf(String namespace) {
        SortedSet<String> s = sitesByNamespace.get(namespace);
        return s == null ? Set.of() : Collections.unmodifiableSet(s);
    }

    /** The scope owning a namespace (the first by name if several list it), if any. */
    public Optional<String> scopeOf(String namespace) {
        return Optional.ofNullable(scopeByNamespace.get(namespace));
    }

    /** The sites shared with a scope (empty = every site), or empty Optional for an unknown scope. */
    public Optional<Set<String>> sitesOfScope(String scope) {
        SortedSet<String> s = sitesByScope.get(scope);
        return s == null ? Optional.empty() : Optional.of(Collections.unmodifiableSet(s));
    }

    /** Names of all scopes, sorted. */
    public Set<String> scopeNames() {
        return Collections.unmodifiableSet(sitesByScope.keySet());
    }

    public int scopeCount() {
        return scopeCount;
    }
}
