package io.starling.dht.store;

import java.util.List;

/**
 * A consistent LIST of one collection. {@code revision} is the collection's revision at the time
 * of the list: a watch from it sees every later change and none before.
 */
public record ListResult(List<Versioned> items, long revision) {
    public ListResult {
        items = List.copyOf(items);
    }
}
