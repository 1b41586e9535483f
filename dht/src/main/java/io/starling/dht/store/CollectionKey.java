package io.starling.dht.store;

/**
 * A collection of API objects: one (scope, API group, resource, namespace). All objects of a
 * collection share one DHT location key (SHA-1 of {@link #path()}), so LIST and WATCH of a
 * collection go to one replica set, as TomP2P's location/content keys did. Cluster-scoped
 * resources (nodes, namespaces) use the empty namespace.
 *
 * @param scope tenant scope ("default" until scopes land)
 * @param group API group, "" for the core group
 * @param resource plural resource name, e.g. "pods", "deployments"
 * @param namespace namespace, "" for cluster-scoped resources
 */
public record CollectionKey(String scope, String group, String resource, String namespace)
        implements Comparable<CollectionKey> {
    public static final String DEFAULT_SCOPE = "default";

    public CollectionKey {
        requireSegment("scope", scope, false);
        requireSegment("group", group, true);
        requireSegment("resource", resource, false);
        requireSegment("namespace", namespace, true);
    }

    public static CollectionKey of(String group, String resource, String namespace) {
        return new CollectionKey(DEFAULT_SCOPE, group, resource, namespace == null ? "" : namespace);
    }

    /** Stable text form, {@code scope/group/resource/namespace}; the DHT location key hashes it. */
    public String path() {
        return scope + "/" + group + "/" + resource + "/" + namespace;
    }

    public static CollectionKey parse(String path) {
        String[] p = path.split("/", -1);
        if (p.length != 4) {
            throw new IllegalArgumentException("collection path must have 4 segments: " + path);
        }
        return new CollectionKey(p[0], p[1], p[2], p[3]);
    }

    public ObjectKey object(String name) {
        return new ObjectKey(this, name);
    }

    public boolean clusterScoped() {
        return namespace.isEmpty();
    }

    private static void requireSegment(String what, String value, boolean mayBeEmpty) {
        if (value == null || (!mayBeEmpty && value.isEmpty()) || value.indexOf('/') >= 0) {
            throw new IllegalArgumentException("invalid " + what + ": '" + value + "'");
        }
    }

    @Override
    public int compareTo(CollectionKey o) {
        return path().compareTo(o.path());
    }

    @Override
    public String toString() {
        return path();
    }
}
