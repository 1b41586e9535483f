package io.starling.scheduler.placement;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.starling.dht.kube.KubeJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The writes the scheduler makes, as pure functions from the current Pod to the new one (always on
 * a deep copy: cached objects are shared). Also builds the core/v1 Events it records.
 */
public final class PodMutations {
    /** Annotation: the site a pod was handed to because its home site had no room. */
    public static final String SPILLED_TO = "starling.io/spilled-to";
    /** Annotation: sites that could not place a spilled pod, as {@code SITE@MILLIS,...}. */
    public static final String SPILL_REJECTED = "starling.io/spill-rejected";
    public static final String COMPONENT = "starling-scheduler";

    private PodMutations() {}

    /** spec.nodeName = node and PodScheduled=True. */
    public static Pod bound(Pod pod, String node, String timestamp) {
        Pod p = KubeJson.copy(pod, Pod.class);
        p.getSpec().setNodeName(node);
        setCondition(p, new PodConditionBuilder().withType("PodScheduled").withStatus("True")
                .withLastTransitionTime(timestamp).build());
        return p;
    }

    /** Whether the pod already carries PodScheduled=False/Unschedulable with this message. */
    public static boolean hasUnschedulable(Pod pod, String message) {
        PodCondition c = condition(pod);
        return c != null && "False".equals(c.getStatus()) && "Unschedulable".equals(c.getReason())
                && Objects.equals(message, c.getMessage());
    }

    /** PodScheduled=False, reason Unschedulable, the message. */
    public static Pod unschedulable(Pod pod, String message, String timestamp) {
        Pod p = KubeJson.copy(pod, Pod.class);
        markUnschedulable(p, message, timestamp);
        return p;
    }

    /** Hands the pod to {@code site} (annotation) and records why in the condition. */
    public static Pod spilled(Pod pod, String site, String message, String timestamp) {
        Pod p = KubeJson.copy(pod, Pod.class);
        annotations(p).put(SPILLED_TO, site);
        markUnschedulable(p, message, timestamp);
        return p;
    }

    /** Gives a spilled pod back to its home site, remembering that {@code site} could not place it. */
    public static Pod spillRejected(Pod pod, String site, long nowMillis, String message, String timestamp) {
        Pod p = KubeJson.copy(pod, Pod.class);
        Map<String, String> ann = annotations(p);
        ann.remove(SPILLED_TO);
        Map<String, Long> rejected = rejectedSites(pod);
        rejected.put(site, nowMillis);
        List<String> parts = new ArrayList<>();
        rejected.forEach((s, t) -> parts.add(s + "@" + t));
        ann.put(SPILL_REJECTED, String.join(",", parts));
        markUnschedulable(p, message, timestamp);
        return p;
    }

    /** Sites that rejected the pod, with when (malformed entries are skipped). */
    public static Map<String, Long> rejectedSites(Pod pod) {
        Map<String, Long> out = new TreeMap<>();
        String v = pod.getMetadata().getAnnotations() == null ? null : pod.getMetadata().getAnnotations().get(SPILL_REJECTED);
        if (v == null || v.isBlank()) {
            return out;
        }
        for (String part : v.split(",")) {
            int at = part.lastIndexOf('@');
            if (at <= 0) {
                continue;
            }
            try {
                out.put(part.substring(0, at).trim(), Long.parseLong(part.substring(at + 1).trim()));
            } catch (NumberFormatException e) {
                // ignore a malformed entry
            }
        }
        return out;
    }

    public static String spilledTo(Pod pod) {
        return pod.getMetadata().getAnnotations() == null ? null : pod.getMetadata().getAnnotations().get(SPILLED_TO);
    }

    /** A core/v1 Event about {@code pod}. */
    public static Event event(Pod pod, String type, String reason, String message, String site, String nameSuffix, String timestamp) {
        var meta = pod.getMetadata();
        return new EventBuilder().withNewMetadata().withNamespace(meta.getNamespace())
                .withName(meta.getName() + "." + nameSuffix).endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion("v1").withKind("Pod")
                        .withNamespace(meta.getNamespace()).withName(meta.getName()).withUid(meta.getUid())
                        .withResourceVersion(meta.getResourceVersion()).build())
                .withType(type).withReason(reason).withMessage(message).withCount(1)
                .withFirstTimestamp(timestamp).withLastTimestamp(timestamp)
                .withNewSource().withComponent(COMPONENT).withHost(site).endSource()
                .withReportingComponent(COMPONENT).withReportingInstance(site)
                .build();
    }

    private static void markUnschedulable(Pod p, String message, String timestamp) {
        setCondition(p, new PodConditionBuilder().withType("PodScheduled").withStatus("False").withReason("Unschedulable")
                .withMessage(message).withLastTransitionTime(timestamp).build());
    }

    private static PodCondition condition(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        for (PodCondition c : pod.getStatus().getConditions()) {
            if ("PodScheduled".equals(c.getType())) {
                return c;
            }
        }
        return null;
    }

    private static void setCondition(Pod p, PodCondition c) {
        if (p.getStatus() == null) {
            p.setStatus(new PodStatus());
        }
        if (p.getStatus().getPhase() == null) {
            p.getStatus().setPhase("Pending");
        }
        List<PodCondition> list = new ArrayList<>();
        if (p.getStatus().getConditions() != null) {
            for (PodCondition old : p.getStatus().getConditions()) {
                if ("PodScheduled".equals(old.getType())) {
                    if (Objects.equals(old.getStatus(), c.getStatus())) {
                        c.setLastTransitionTime(old.getLastTransitionTime()); // no transition
                    }
                } else {
                    list.add(old);
                }
            }
        }
        list.add(c);
        p.getStatus().setConditions(list);
    }

    private static Map<String, String> annotations(Pod p) {
        if (p.getMetadata().getAnnotations() == null) {
            p.getMetadata().setAnnotations(new LinkedHashMap<>());
        } else {
            p.getMetadata().setAnnotations(new LinkedHashMap<>(p.getMetadata().getAnnotations()));
        }
        return p.getMetadata().getAnnotations();
    }
}
