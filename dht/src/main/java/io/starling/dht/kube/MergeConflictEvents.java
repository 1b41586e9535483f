package io.starling.dht.kube;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.core.hlc.HybridClock;
import io.starling.dht.record.MergeConflict;
import io.starling.dht.store.ClusterStore;
import io.starling.dht.store.CollectionKey;
import io.starling.dht.store.ObjectKey;
import io.starling.dht.store.Precondition;
import io.starling.dht.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records a dropped concurrent write as a Kubernetes Event (type Warning, reason MergeConflict) on
 * the object. The Event's name, uid and every field derive from the conflict alone (its id, the
 * losing write's clock), so every site that detects the conflict writes the identical object and
 * the sites' copies merge into one. Register with {@code DhtClusterStore.onMergeConflict}.
 */
public final class MergeConflictEvents implements Consumer<MergeConflict> {
    private static final Logger LOG = Logger.getLogger(MergeConflictEvents.class.getName());
    public static final String REASON = "MergeConflict";
    private static final int MAX_NAME_CHARS = 253;
    private static final int MAX_VALUE_CHARS = 256;

    private final ClusterStore store;

    public MergeConflictEvents(ClusterStore store) {
        this.store = store;
    }

    @Override
    public void accept(MergeConflict c) {
        Optional<ObjectKey> key = eventKey(c);
        if (key.isEmpty()) {
            return;
        }
        store.put(key.get(), eventJson(c), Precondition.MUST_NOT_EXIST).whenComplete((v, e) -> {
            Throwable t = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            if (t != null && !(t instanceof StoreException se && se.reason() == StoreException.Reason.ALREADY_EXISTS)) {
                LOG.log(Level.FINE, "could not record merge conflict " + c.id(), t);
            }
        });
    }

    /** The Event's name: {@code <object>.merge-<conflict id>}. */
    public static String eventName(MergeConflict c) {
        String suffix = ".merge-" + c.id();
        String base = c.name();
        if (base.length() + suffix.length() > MAX_NAME_CHARS) {
            base = base.substring(0, MAX_NAME_CHARS - suffix.length());
        }
        return base + suffix;
    }

    /** Where the Event lives: the object's namespace (cluster-scoped objects: "default"); empty for non-API collections. */
    public static Optional<ObjectKey> eventKey(MergeConflict c) {
        CollectionKey ck;
        try {
            ck = CollectionKey.parse(c.collection());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (ck.group().equals(Resources.EVENTS.group()) && ck.resource().equals(Resources.EVENTS.resource())) {
            return Optional.empty(); // no events about events
        }
        String ns = ck.namespace().isEmpty() ? "default" : ck.namespace();
        return Optional.of(Resources.EVENTS.collection(ck.scope(), ns).object(eventName(c)));
    }

    /** The Event's JSON: a function of the conflict only. */
    public static byte[] eventJson(MergeConflict c) {
        CollectionKey ck = CollectionKey.parse(c.collection());
        Optional<ResourceType> type = Resources.byResource(ck.group(), ck.resource());
        String ns = ck.namespace().isEmpty() ? "default" : ck.namespace();
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode ev = f.objectNode();
        ev.put("apiVersion", "v1");
        ev.put("kind", "Event");
        ObjectNode meta = ev.putObject("metadata");
        meta.put("name", eventName(c));
        meta.put("namespace", ns);
        meta.put("uid", "merge-" + c.id());
        ObjectNode involved = ev.putObject("involvedObject");
        involved.put("apiVersion", type.map(ResourceType::apiVersion).orElse(ck.group()));
        involved.put("kind", type.map(ResourceType::kind).orElse(ck.resource()));
        involved.put("name", c.name());
        if (!ck.namespace().isEmpty()) {
            involved.put("namespace", ck.namespace());
        }
        involved.put("fieldPath", c.path());
        ev.put("reason", REASON);
        ev.put("type", "Warning");
        ev.put("message", "concurrent writes to " + c.path() + ": " + shorten(c.losingValue()) + " from site "
                + c.losingSite() + " lost to " + shorten(c.winningValue()) + " from site " + c.winningSite());
        String at = Instant.ofEpochMilli(HybridClock.millisOf(c.losingStamp())).truncatedTo(ChronoUnit.SECONDS).toString();
        ev.put("firstTimestamp", at);
        ev.put("lastTimestamp", at);
        ev.put("count", 1);
        ev.putObject("source").put("component", "starling-merge");
        ev.put("reportingComponent", "starling-merge");
        return ev.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String shorten(String v) {
        if (v == null) {
            return "(absent)";
        }
        return v.length() <= MAX_VALUE_CHARS ? v : v.substring(0, MAX_VALUE_CHARS) + "...";
    }
}
