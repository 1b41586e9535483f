package io.starling.gateway.patch;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.starling.dht.kube.KubeJson;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The type of one position inside a Kubernetes object, used to find the patch strategy of the lists
 * below it. The structure comes from the fabric8 model classes (their class names are the Go type
 * names the {@link MergeKeyTable} is keyed by); positions whose type is unknown (custom resources,
 * free-form maps) patch generically: maps merge, lists are replaced.
 */
public final class PatchSchema {
    /** No type information: every list below is atomic. */
    public static final PatchSchema UNKNOWN = new PatchSchema(null);

    private static final Map<String, Class<?>> ROOTS = roots();
    private static final Map<Class<?>, Map<String, JavaType>> PROPERTIES = new ConcurrentHashMap<>();

    private final JavaType type;

    private PatchSchema(JavaType type) {
        this.type = type;
    }

    /** The schema of a whole object, {@link #UNKNOWN} for kinds this server has no model of. */
    public static PatchSchema forKind(String apiVersion, String kind) {
        Class<?> root = ROOTS.get(apiVersion + "/" + kind);
        return root == null ? UNKNOWN : new PatchSchema(KubeJson.MAPPER.constructType(root));
    }

    /** The type of field {@code name} of this object (or of a map's values). */
    public PatchSchema field(String name) {
        if (type == null) {
            return UNKNOWN;
        }
        if (type.isMapLikeType()) {
            return of(type.getContentType());
        }
        if (type.isContainerType() || isLeaf(type)) {
            return UNKNOWN;
        }
        return of(properties(type.getRawClass()).get(name));
    }

    /** The type of the items of this list. */
    public PatchSchema element() {
        return type != null && type.isCollectionLikeType() ? of(type.getContentType()) : UNKNOWN;
    }

    /** How list field {@code name} of this object is patched. */
    public ListStrategy listStrategy(String name) {
        if (type == null || type.isContainerType() || isLeaf(type)) {
            return ListStrategy.ATOMIC;
        }
        return MergeKeyTable.lookup(type.getRawClass().getSimpleName(), name);
    }

    /** How list field {@code field} of model class {@code type} is patched (for published OpenAPI extensions). */
    public static ListStrategy listStrategyOf(Class<?> type, String field) {
        return MergeKeyTable.lookup(type.getSimpleName(), field);
    }

    /** True when server-side apply owns field {@code name} as a whole (+structType/+mapType=atomic). */
    public boolean atomic(String name) {
        if (type == null || type.isContainerType() || isLeaf(type)) {
            return false;
        }
        return MergeKeyTable.atomic(type.getRawClass().getSimpleName(), name, field(name).typeName());
    }

    /** Go type name of this position (for messages and tests); "unknown" without type information. */
    public String typeName() {
        return type == null ? "unknown" : type.getRawClass().getSimpleName();
    }

    private static PatchSchema of(JavaType t) {
        return t == null ? UNKNOWN : new PatchSchema(t);
    }

    private static boolean isLeaf(JavaType t) {
        Class<?> c = t.getRawClass();
        return c.isPrimitive() || c.getName().startsWith("java.") || c.isEnum();
    }

    private static Map<String, JavaType> properties(Class<?> raw) {
        return PROPERTIES.computeIfAbsent(raw, c -> {
            BeanDescription bd = KubeJson.MAPPER.getDeserializationConfig().introspect(KubeJson.MAPPER.constructType(c));
            Map<String, JavaType> props = new HashMap<>();
            for (BeanPropertyDefinition p : bd.findProperties()) {
                props.put(p.getName(), p.getPrimaryType());
            }
            return Map.copyOf(props);
        });
    }

    private static Map<String, Class<?>> roots() {
        Map<String, Class<?>> m = new TreeMap<>();
        String core = "io.fabric8.kubernetes.api.model.";
        for (String kind : new String[] {"Pod", "Service", "ConfigMap", "Secret", "Namespace", "Node", "Event",
                "ServiceAccount", "Endpoints", "PersistentVolumeClaim", "PersistentVolume", "ReplicationController",
                "LimitRange", "ResourceQuota", "PodTemplate", "Binding"}) {
            register(m, "v1/" + kind, core + kind);
        }
        for (String kind : new String[] {"Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "ControllerRevision"}) {
            register(m, "apps/v1/" + kind, core + "apps." + kind);
        }
        register(m, "batch/v1/Job", core + "batch.v1.Job");
        register(m, "batch/v1/CronJob", core + "batch.v1.CronJob");
        register(m, "autoscaling/v1/Scale", core + "autoscaling.v1.Scale");
        register(m, "coordination.k8s.io/v1/Lease", core + "coordination.v1.Lease");
        register(m, "events.k8s.io/v1/Event", core + "events.v1.Event");
        register(m, "discovery.k8s.io/v1/EndpointSlice", core + "discovery.v1.EndpointSlice");
        return Map.copyOf(m);
    }

    /** Registers a kind whose fabric8 model is on the class path (batch may not be). */
    private static void register(Map<String, Class<?>> m, String key, String className) {
        try {
            m.put(key, Class.forName(className, false, PatchSchema.class.getClassLoader()));
        } catch (ClassNotFoundException absent) {
            // not modelled here: patched generically
        }
    }
}
