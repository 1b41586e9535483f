package io.starling.gateway.scope;

import io.starling.dht.kube.ResourceType;
import io.starling.dht.kube.Resources;
import io.starling.gateway.Authenticator.User;
import io.starling.gateway.api.Access;
import io.starling.gateway.api.ApiException;
import io.starling.gateway.api.Authorizer;
import io.starling.gateway.api.Target;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Scope-based authorization, the same on every super-peer because it reads only the replicated
 * Scope objects:
 * <ul>
 *   <li>members of {@value ScopeResource#ADMIN_GROUP} may do everything;</li>
 *   <li>namespaced objects: any verb inside the user's namespaces; lists and watches across all
 *       namespaces are filtered to them; anything else is 403;</li>
 *   <li>namespaces: list/watch filtered, get of one's own; create, update, patch and delete only by
 *       an owner of a scope listing that namespace;</li>
 *   <li>nodes: read-only for users in at least one scope; scopes: administrators only.</li>
 * </ul>
 * Denials are always 403 and decided before any read, so a 403 says nothing about whether the
 * object exists (kube-apiserver's RBAC behaves the same).
 */
public final class ScopeAuthorizer implements Authorizer {
    private static final Set<String> READ = Set.of("get", "list", "watch");

    private final Supplier<ScopeSnapshot> scopes;

    public ScopeAuthorizer(Supplier<ScopeSnapshot> scopes) {
        this.scopes = scopes;
    }

    public static boolean isAdmin(User user) {
        return user.groups().contains(ScopeResource.ADMIN_GROUP);
    }

    @Override
    public Access authorize(User user, String verb, Target t) {
        if (isAdmin(user)) {
            return Access.ALL;
        }
        ResourceType rt = t.type();
        ScopeSnapshot snap = scopes.get();
        boolean read = READ.contains(verb);
        String name = user.name();
        if (rt == Resources.NAMESPACES) {
            if (t.name() == null) {
                if (verb.equals("list") || verb.equals("watch")) {
                    return live(name);
                }
                throw forbidden(user, verb, t);
            }
            boolean ok = read ? snap.canUse(name, t.name()) : snap.owns(name, t.name());
            if (!ok) {
                throw forbidden(user, verb, t);
            }
            return live(name);
        }
        if (rt.namespaced()) {
            if (t.namespace() == null) {
                if (verb.equals("list") || verb.equals("watch")) {
                    return live(name);
                }
                throw forbidden(user, verb, t);
            }
            if (!snap.canUse(name, t.namespace())) {
                throw forbidden(user, verb, t);
            }
            return live(name);
        }
        if (rt == Resources.NODES && read && snap.isMember(name)) {
            return new Access() {
                @Override
                public boolean seesNamespace(String namespace) {
                    return false;
                }

                @Override
                public boolean seesClusterObjects() {
                    return scopes.get().isMember(name);
                }
            };
        }
        throw forbidden(user, verb, t);
    }

    private Access live(String user) {
        return new Access() {
            @Override
            public boolean seesNamespace(String namespace) {
                return scopes.get().canUse(user, namespace);
            }

            @Override
            public boolean seesClusterObjects() {
                return false;
            }
        };
    }

    /** kube-apiserver's wording, e.g. {@code pods "x" is forbidden: User "u" cannot get resource "pods" in API group "" in the namespace "n"}. */
    static ApiException forbidden(User user, String verb, Target t) {
        ResourceType rt = t.type();
        String resource = t.subresource() == null ? rt.resource() : rt.resource() + "/" + t.subresource();
        String subject = t.name() == null ? resource + " is forbidden" : resource + " \"" + t.name() + "\" is forbidden";
        String where = t.namespace() == null ? "at the cluster scope" : "in the namespace \"" + t.namespace() + "\"";
        String msg = subject + ": User \"" + user.name() + "\" cannot " + verb + " resource \"" + resource + "\" in API group \""
                + rt.group() + "\" " + where;
        return new ApiException(403, "Forbidden", msg, rt.group(), rt.resource(), t.name());
    }
}
