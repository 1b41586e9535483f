package io.starling.gateway.model;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.starling.dht.kube.KubeJson;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shape of the fabric8 model classes, read with Jackson's own bean introspection so it agrees
 * with how objects are (de)serialized. One source for OpenAPI schemas and for unknown-field
 * detection (fieldValidation). Classes are resolved lazily and cached; recursion is safe.
 */
public final class ModelSchemas {
    private static final ObjectMapper MAPPER = KubeJson.MAPPER;
    private static final Map<Class<?>, Shape.Obj> OBJECTS = new ConcurrentHashMap<>();

    private ModelSchemas() {}

    /** A node of the type tree. */
    public sealed interface Shape {
        /** A scalar: string, integer, number, boolean, int-or-string, quantity, or any (free-form). */
        record Leaf(String type, String format) implements Shape {}

        record Arr(Shape item) implements Shape {}

        record MapOf(Shape value) implements Shape {}

        /** A model class; properties are resolved on first use. */
        final class Obj implements Shape {
            private final Class<?> type;
            private volatile Map<String, Shape> properties;

            Obj(Class<?> type) {
                this.type = type;
            }

            public Class<?> type() {
                return type;
            }

            public Map<String, Shape> properties() {
                Map<String, Shape> p = properties;
                if (p == null) {
                    p = introspect(type);
                    properties = p;
                }
                return p;
            }
        }
    }

    public static Shape.Obj of(Class<?> type) {
        return OBJECTS.computeIfAbsent(type, Shape.Obj::new);
    }

    private static Map<String, Shape> introspect(Class<?> type) {
        JavaType jt = MAPPER.constructType(type);
        BeanDescription bd = MAPPER.getDeserializationConfig().introspect(jt);
        Map<String, Shape> props = new LinkedHashMap<>();
        for (BeanPropertyDefinition p : bd.findProperties()) {
            if (p.getName().equals("additionalProperties") || !(p.hasSetter() || p.hasField() || p.hasConstructorParameter())) {
                continue;
            }
            props.put(p.getName(), shapeOf(p.getPrimaryType()));
        }
        return props;
    }

    static Shape shapeOf(JavaType t) {
        Class<?> c = t.getRawClass();
        if (c == String.class || c == char.class || c == Character.class || c.isEnum()) {
            return new Shape.Leaf("string", null);
        }
        if (c == Integer.class || c == int.class || c == Short.class || c == short.class) {
            return new Shape.Leaf("integer", "int32");
        }
        if (c == Long.class || c == long.class) {
            return new Shape.Leaf("integer", "int64");
        }
        if (c == Double.class || c == double.class || c == Float.class || c == float.class) {
            return new Shape.Leaf("number", "double");
        }
        if (c == Boolean.class || c == boolean.class) {
            return new Shape.Leaf("boolean", null);
        }
        if (c == IntOrString.class) {
            return new Shape.Leaf("string", "int-or-string");
        }
        if (c == Quantity.class) {
            return new Shape.Leaf("string", "quantity");
        }
        if (c.getSimpleName().equals("MicroTime") || c.getSimpleName().equals("Duration")) {
            return new Shape.Leaf("string", "date-time");
        }
        if (t.isArrayType() && c.getComponentType() == byte.class) {
            return new Shape.Leaf("string", "byte");
        }
        if (t.isCollectionLikeType() || t.isArrayType() || Collection.class.isAssignableFrom(c)) {
            return new Shape.Arr(shapeOf(t.getContentType()));
        }
        if (t.isMapLikeType()) {
            return new Shape.MapOf(shapeOf(t.getContentType()));
        }
        if (c == Object.class || JsonNode.class.isAssignableFrom(c) || c.isInterface()
                || Modifier.isAbstract(c.getModifiers()) || !c.getName().startsWith("io.fabric8.")
                || c.getSimpleName().equals("AnyType") || c.getSimpleName().equals("RawExtension")) {
            return new Shape.Leaf("any", null);
        }
        return of(c);
    }
}
