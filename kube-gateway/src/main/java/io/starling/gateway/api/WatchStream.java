package io.starling.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.core.exec.Cancellable;
import io.starling.dht.kube.ResourceType;
import io.starling.dht.kube.Resources;
import io.starling.dht.store.CollectionKey;
import io.starling.dht.store.Watch;
import io.starling.dht.store.WatchEvent;
import io.starling.dht.store.WatchListener;
import io.starling.gateway.http.ApiRequest;
import io.starling.gateway.http.Reply;
import io.starling.gateway.http.StreamSink;
import io.starling.gateway.model.Tables;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * One watch request (?watch=true): newline-delimited JSON events {type, object} over a chunked
 * response. Without a resourceVersion (or "0") the current objects come first as ADDED, as
 * kube-apiserver does. An all-namespaces watch subscribes to every namespace collection and to
 * the Namespace collection, adding a subscription when a namespace appears.
 *
 * <p>Store callbacks arrive on the store's event loop; encoding runs on a serial executor over
 * the worker pool so events stay in order. A MODIFIED event that moves an object into or out of
 * the selection is sent as ADDED or DELETED.
 */
final class WatchStream {
    /** How often a watch that allows bookmarks gets one (kube-apiserver sends them about every minute). */
    static final long BOOKMARK_MILLIS = 60_000;

    private final ApiContext ctx;
    private final ApiRequest req;
    private final Target target;
    private final Reads.Selectors selectors;
    private final Access access;
    private final boolean table;
    private final Tables.Include include;
    private final boolean bookmarks;
    private final SerialExecutor serial;
    private final List<Watch> watches = new ArrayList<>();
    private final Set<String> watchedNamespaces = new TreeSet<>();
    private StreamSink sink;
    private Cancellable timer = Cancellable.NONE;
    private Cancellable bookmarkTimer = Cancellable.NONE;
    /** Revision of the last event written: a safe point to resume from, which bookmarks report. */
    private volatile long lastRevision;
    private boolean closed;

    private WatchStream(ApiContext ctx, ApiRequest req, Target target, Access access) {
        this.ctx = ctx;
        this.access = access;
        this.req = req;
        this.target = target;
        this.selectors = Reads.Selectors.of(req, target);
        this.table = Tables.wanted(req.accept());
        this.include = Tables.include(req.param("includeObject"));
        this.bookmarks = req.flag("allowWatchBookmarks");
        this.serial = new SerialExecutor(ctx.objects().worker());
    }

    static CompletableFuture<Reply> start(ApiContext ctx, ApiRequest req, Target target) {
        return start(ctx, req, target, Access.ALL);
    }

    /** A watch showing only what {@code access} allows, checked again for every event. */
    static CompletableFuture<Reply> start(ApiContext ctx, ApiRequest req, Target target, Access access) {
        WatchStream w = new WatchStream(ctx, req, target, access);
        String rvParam = req.param("resourceVersion");
        long fromRv = rvParam == null || rvParam.isEmpty() || rvParam.equals("0") ? 0 : Writes.parseRv(rvParam);
        long timeoutSeconds = timeout(req, ctx.maxWatchSeconds());
        boolean initialEvents = fromRv == 0 || req.flag("sendInitialEvents");
        CompletableFuture<ObjectStore.Listing> initial = !initialEvents ? CompletableFuture.completedFuture(null)
                : new Reads(ctx).listFiltered(req, new Target(target.type(), target.namespace(), null, null), access);
        CompletableFuture<List<String>> namespaces = target.allNamespaces()
                ? ctx.objects().namespaceNames().thenApply(all -> all.stream().filter(access::seesNamespace).toList())
                : CompletableFuture.completedFuture(List.of(target.storeNamespace()));
        return initial.thenCombine(namespaces, (listing, nss) -> new Reply.Streaming(200, "application/json",
                Map.of(), sink -> w.run(sink, listing, fromRv, nss, timeoutSeconds)));
    }

    private static long timeout(ApiRequest req, int max) {
        String t = req.param("timeoutSeconds");
        if (t == null || t.isEmpty()) {
            return max;
        }
        try {
            return Math.max(1, Math.min(max, Long.parseLong(t)));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid timeoutSeconds: '" + t + "'");
        }
    }

    private void run(StreamSink sink, ObjectStore.Listing listing, long fromRv, List<String> namespaces, long timeoutSeconds) {
        this.sink = sink;
        sink.onClose(this::stop);
        serial.execute(() -> {
            long from = fromRv;
            if (listing != null) {
                for (ObjectNode o : listing.items()) {
                    send("ADDED", o);
                }
                from = listing.revision();
            }
            lastRevision = from;
            if (bookmarks && req.flag("sendInitialEvents")) {
                bookmark(Map.of("k8s.io/initial-events-end", "true"));
            }
            synchronized (this) {
                if (closed) {
                    return;
                }
                timer = ctx.loop().schedule(timeoutSeconds * 1000, sink::end);
                if (bookmarks) {
                    bookmarkTimer = ctx.loop().scheduleAtFixedRate(BOOKMARK_MILLIS, BOOKMARK_MILLIS,
                            () -> serial.execute(() -> bookmark(Map.of())));
                }
                for (String ns : namespaces) {
                    subscribe(ns, from);
                }
                if (target.allNamespaces()) {
                    watches.add(ctx.objects().store().watch(ctx.objects().collection(Resources.NAMESPACES, ""), from,
                            new NamespaceListener()));
                }
            }
        });
    }

    private void subscribe(String ns, long from) {
        if (!watchedNamespaces.add(ns)) {
            return;
        }
        CollectionKey coll = ctx.objects().collection(target.type(), ns);
        watches.add(ctx.objects().store().watch(coll, from, new Listener()));
    }

    private synchronized void stop() {
        closed = true;
        timer.cancel();
        bookmarkTimer.cancel();
        for (Watch w : watches) {
            w.close();
        }
        watches.clear();
    }

    private final class Listener implements WatchListener {
        @Override
        public void onEvent(WatchEvent e) {
            serial.execute(() -> deliver(e));
        }

        @Override
        public void onGone(String why) {
            serial.execute(() -> {
                ObjectNode status = Statuses.failure(new ApiException(410, "Expired", "too old resource version: " + why));
                ObjectNode ev = Json.object();
                ev.put("type", "ERROR");
                ev.set("object", status);
                write(ev);
                sink.end();
            });
        }

        @Override
        public void onProgress(long revision) {
            if (bookmarks) {
                serial.execute(() -> {
                    lastRevision = Math.max(lastRevision, revision);
                    bookmark(Map.of());
                });
            }
        }
    }

    /** A BOOKMARK event: no object change, only the revision a client may resume from. */
    private void bookmark(Map<String, String> annotations) {
        ObjectNode o = Json.object();
        o.put("kind", target.type().kind());
        o.put("apiVersion", target.type().apiVersion());
        ObjectNode meta = o.putObject("metadata");
        meta.put("resourceVersion", Long.toString(lastRevision));
        if (!annotations.isEmpty()) {
            ObjectNode ann = meta.putObject("annotations");
            annotations.forEach(ann::put);
        }
        ObjectNode ev = Json.object();
        ev.put("type", "BOOKMARK");
        ev.set("object", o);
        write(ev);
    }

    /** Starts watching namespaces that appear after the watch began. */
    private final class NamespaceListener implements WatchListener {
        @Override
        public void onEvent(WatchEvent e) {
            if (e.type() == WatchEvent.Type.ADDED && access.seesNamespace(e.object().key().name())) {
                synchronized (WatchStream.this) {
                    if (!closed) {
                        subscribe(e.object().key().name(), e.object().revision());
                    }
                }
            }
        }
    }

    private void deliver(WatchEvent e) {
        lastRevision = Math.max(lastRevision, e.object().revision());
        ObjectNode now = e.object().deleted() ? null : decode(e.object().value(), e.object().revision());
        ObjectNode before = e.previous() == null ? null : decode(e.previous(), e.object().revision());
        boolean matchesNow = now != null && selectors.matches(now) && access.sees(target.type(), now);
        boolean matchedBefore = before != null && selectors.matches(before) && access.sees(target.type(), before);
        switch (e.type()) {
            case ADDED -> {
                if (matchesNow) {
                    send("ADDED", now);
                }
            }
            case MODIFIED -> {
                if (matchesNow && matchedBefore) {
                    send("MODIFIED", now);
                } else if (matchesNow) {
                    send("ADDED", now);
                } else if (matchedBefore) {
                    send("DELETED", before);
                }
            }
            case DELETED -> {
                if (matchedBefore) {
                    send("DELETED", before);
                }
            }
        }
    }

    private static ObjectNode decode(byte[] bytes, long revision) {
        ObjectNode o = Json.parseObject(bytes);
        Json.with(o, "metadata").put("resourceVersion", Long.toString(revision));
        return o;
    }

    private void send(String type, ObjectNode obj) {
        ObjectNode ev = Json.object();
        ev.put("type", type);
        if (table) {
            ResourceType rt = target.type();
            ev.set("object", Tables.table(rt.kind(), List.of(obj), Json.text(obj, "metadata", "resourceVersion"), include,
                    ctx.clock().wallMillis(), ctx.viewerCoordinates()));
        } else {
            ev.set("object", obj);
        }
        write(ev);
    }

    private void write(ObjectNode ev) {
        byte[] line = Json.bytes(ev);
        byte[] out = new byte[line.length + 1];
        System.arraycopy(line, 0, out, 0, line.length);
        out[line.length] = '\n';
        sink.send(out);
    }
}
