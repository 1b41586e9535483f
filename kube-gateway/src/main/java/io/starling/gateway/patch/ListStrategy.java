package io.starling.gateway.patch;

import java.util.List;

/**
 * How a list field is patched, transcribed from the Go struct tags of the Kubernetes API types:
 * {@code patchStrategy} ("merge", "retainKeys") and {@code patchMergeKey}, plus the
 * {@code listMapKey}s that server-side apply uses to name list items.
 *
 * @param merge       true for patchStrategy=merge; false means the list is replaced (atomic)
 * @param mergeKey    the patchMergeKey of a list of maps, null for a list of primitives
 * @param mapKeys     the listMapKeys identifying an item for server-side apply (starts with mergeKey)
 * @param retainKeys  patchStrategy also carries retainKeys (the items are union types)
 */
public record ListStrategy(boolean merge, String mergeKey, List<String> mapKeys, boolean retainKeys) {
    /** A list replaced as a whole (no patch strategy, or listType=atomic). */
    public static final ListStrategy ATOMIC = new ListStrategy(false, null, List.of(), false);
    /** A list of primitives merged as an unordered set (e.g. metadata.finalizers). */
    public static final ListStrategy SET = new ListStrategy(true, null, List.of(), false);

    public ListStrategy {
        mapKeys = List.copyOf(mapKeys);
    }

    static ListStrategy keyed(String mergeKey, String... extraMapKeys) {
        return new ListStrategy(true, mergeKey, concat(mergeKey, extraMapKeys), false);
    }

    static ListStrategy keyedRetainKeys(String mergeKey) {
        return new ListStrategy(true, mergeKey, List.of(mergeKey), true);
    }

    private static List<String> concat(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return List.of(all);
    }

    /** True for a merged list of maps identified by a key. */
    public boolean keyed() {
        return merge && mergeKey != null;
    }
}
