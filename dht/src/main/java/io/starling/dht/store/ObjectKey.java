package io.starling.dht.store;

/** One API object: its collection plus its name (the TomP2P "content key"). */
public record ObjectKey(CollectionKey collection, String name) implements Comparable<ObjectKey> {
    public ObjectKey {
        if (collection == null) {
            throw new IllegalArgumentException("object key needs a collection");
        }
        if (name == null || name.isEmpty() || name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("invalid object name: '" + name + "'");
        }
    }

    public String path() {
        return collection.path() + "/" + name;
    }

    @Override
    public int compareTo(ObjectKey o) {
        int c = collection.compareTo(o.collection);
        return c != 0 ? c : name.compareTo(o.name);
    }

    @Override
    public String toString() {
        return path();
    }
}
