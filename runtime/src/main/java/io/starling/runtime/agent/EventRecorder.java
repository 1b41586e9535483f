package io.starling.runtime.agent;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.starling.dht.kube.ObjectClient;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes core/v1 Events about pods, as the kubelet does (source component "kubelet", host = node).
 * Names are {@code <pod>.<hex time><hex sequence>}, unique per agent. Fire-and-forget: a failed
 * Event write is logged and dropped. Called on the event loop.
 */
final class EventRecorder {
    private static final Logger LOG = Logger.getLogger(EventRecorder.class.getName());

    private final ObjectClient client;
    private final String nodeName;
    private long sequence;

    EventRecorder(ObjectClient client, String nodeName) {
        this.client = client;
        this.nodeName = nodeName;
    }

    void record(String namespace, String podName, String podUid, EventSpec spec, long wallMillis) {
        Event e = new Event();
        ObjectMeta meta = new ObjectMeta();
        // Object names are at most 253 characters; the suffix needs at most 27.
        String prefix = podName.length() > 220 ? podName.substring(0, 220) : podName;
        meta.setName(prefix + "." + Long.toHexString(wallMillis) + Long.toHexString(sequence++));
        meta.setNamespace(namespace);
        e.setMetadata(meta);
        ObjectReference ref = new ObjectReference();
        ref.setApiVersion("v1");
        ref.setKind("Pod");
        ref.setNamespace(namespace);
        ref.setName(podName);
        ref.setUid(podUid);
        ref.setFieldPath(spec.fieldPath());
        e.setInvolvedObject(ref);
        e.setReason(spec.reason());
        e.setMessage(spec.message());
        e.setType(spec.type());
        EventSource src = new EventSource();
        src.setComponent("kubelet");
        src.setHost(nodeName);
        e.setSource(src);
        e.setReportingComponent("kubelet");
        e.setReportingInstance(nodeName);
        String ts = java.time.Instant.ofEpochMilli(wallMillis).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        e.setFirstTimestamp(ts);
        e.setLastTimestamp(ts);
        e.setCount(1);
        try {
            client.create(e).whenComplete((ok, err) -> {
                if (err != null) {
                    LOG.log(Level.FINE, "event write failed: " + err.getMessage());
                }
            });
        } catch (RuntimeException ex) {
            LOG.log(Level.FINE, "event write failed", ex);
        }
    }

    static String podUid(Pod p) {
        return p.getMetadata().getUid();
    }
}
