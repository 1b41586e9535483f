package io.starling.dht.kube;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one JSON mapper for Kubernetes objects (fabric8 models): objects are stored as their JSON. */
public final class KubeJson {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
            .registerModule(new SimpleModule("starling-micro-time")
                    .addSerializer(java.time.ZonedDateTime.class, new MicroTimeJson.Writer())
                    .addDeserializer(java.time.ZonedDateTime.class, new MicroTimeJson.Reader()));

    private KubeJson() {}

    public static byte[] toBytes(Object o) {
        try {
            return MAPPER.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T fromBytes(byte[] json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** Deep copy through JSON; fabric8 models are mutable, so copy before editing shared objects. */
    public static <T> T copy(T o, Class<T> type) {
        return fromBytes(toBytes(o), type);
    }
}
