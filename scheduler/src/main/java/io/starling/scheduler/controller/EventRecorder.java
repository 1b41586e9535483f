package io.starling.scheduler.controller;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.starling.core.random.RandomSource;
import io.starling.dht.kube.ObjectClient;
import io.starling.dht.kube.Resources;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes core/v1 Events for controller decisions (shown by {@code kubectl describe} and
 * {@code kubectl get events}). Names are {@code <object>.<hex counter>}, the counter starting at a
 * value from the injected random source. Recording is best effort: a failed write is logged only.
 */
public final class EventRecorder {
    private static final Logger LOG = Logger.getLogger(EventRecorder.class.getName());
    public static final String COMPONENT = "starling-controller-manager";

    private final ObjectClient client;
    private final String site;
    private long counter;

    public EventRecorder(ObjectClient client, RandomSource random, String site) {
        this.client = client;
        this.site = site;
        this.counter = random.nextLong() >>> 16;
    }

    public void normal(HasMetadata obj, String reason, String message) {
        record(obj, "Normal", reason, message);
    }

    public void warning(HasMetadata obj, String reason, String message) {
        record(obj, "Warning", reason, message);
    }

    public void record(HasMetadata obj, String type, String reason, String message) {
        ObjectMeta om = obj.getMetadata();
        String ns = om.getNamespace() == null || om.getNamespace().isEmpty() ? "default" : om.getNamespace();
        Event e = new Event();
        ObjectMeta meta = new ObjectMeta();
        meta.setName(om.getName() + "." + Long.toHexString(counter++));
        meta.setNamespace(ns);
        e.setMetadata(meta);
        ObjectReference ref = new ObjectReference();
        ref.setApiVersion(obj.getApiVersion());
        ref.setKind(obj.getKind() != null ? obj.getKind() : kindOf(obj));
        ref.setName(om.getName());
        ref.setNamespace(om.getNamespace());
        ref.setUid(om.getUid());
        ref.setResourceVersion(om.getResourceVersion());
        e.setInvolvedObject(ref);
        e.setType(type);
        e.setReason(reason);
        e.setMessage(message);
        EventSource src = new EventSource();
        src.setComponent(COMPONENT);
        e.setSource(src);
        e.setReportingComponent(COMPONENT);
        e.setReportingInstance(COMPONENT + "-" + site);
        String now = client.timestamp();
        e.setFirstTimestamp(now);
        e.setLastTimestamp(now);
        e.setCount(1);
        e.setKind("Event");
        try {
            client.create(e).exceptionally(t -> {
                LOG.log(Level.FINE, "event not recorded: " + reason, t);
                return null;
            });
        } catch (RuntimeException t) {
            LOG.log(Level.FINE, "event not recorded: " + reason, t);
        }
    }

    private static String kindOf(HasMetadata obj) {
        try {
            return Resources.of(obj.getClass()).kind();
        } catch (IllegalArgumentException e) {
            return obj.getClass().getSimpleName();
        }
    }
}
