package io.starling.dht.kube;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * JSON for the fabric8 fields typed {@link ZonedDateTime} (Kubernetes MicroTime, e.g. Lease
 * renewTime): written as RFC 3339 in UTC with exactly six fraction digits, which is what Go's
 * MicroTime parser (and so kubectl) requires; read from any RFC 3339 form.
 */
final class MicroTimeJson {
    private static final DateTimeFormatter MICRO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX");

    private MicroTimeJson() {}

    static final class Writer extends StdScalarSerializer<ZonedDateTime> {
        Writer() {
            super(ZonedDateTime.class);
        }

        @Override
        public void serialize(ZonedDateTime value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(MICRO.format(value.withZoneSameInstant(ZoneOffset.UTC)));
        }
    }

    static final class Reader extends StdScalarDeserializer<ZonedDateTime> {
        Reader() {
            super(ZonedDateTime.class);
        }

        @Override
        public ZonedDateTime deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getValueAsString();
            if (text == null || text.isEmpty()) {
                return null;
            }
            try {
                return ZonedDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).withZoneSameInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                return (ZonedDateTime) ctxt.handleWeirdStringValue(ZonedDateTime.class, text, "not an RFC 3339 time");
            }
        }
    }
}
