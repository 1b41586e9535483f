package io.starling.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Encodes a Swagger 2.0 JSON tree as the protobuf message kubectl's discovery client decodes from
 * /openapi/v2: gnostic's openapi_v2.Document. Written by hand from the public field numbers of that
 * message set (only the parts our document uses; anything else is a programming error and throws).
 * Maps become repeated (name, value) pairs in document order; vendor extensions ({@code x-*}) become
 * NamedAny whose Any carries the value as YAML text (JSON is YAML, and kube-openapi parses that text).
 * Nested messages are encoded bottom-up into byte arrays: the document is built once, so the copies
 * do not matter and the encoder stays simple.
 */
final class GnosticEncoder {
    // Document
    private static final int DOC_SWAGGER = 1;
    private static final int DOC_INFO = 2;
    private static final int DOC_PATHS = 8;
    private static final int DOC_DEFINITIONS = 9;
    private static final int DOC_EXT = 16;
    // Info
    private static final int INFO_TITLE = 1;
    private static final int INFO_VERSION = 2;
    private static final int INFO_DESCRIPTION = 3;
    private static final int INFO_EXT = 7;
    // Paths, NamedPathItem, PathItem
    private static final int PATHS_EXT = 1;
    private static final int PATHS_PATH = 2;
    private static final Map<String, Integer> PATH_ITEM_OPS =
            Map.of("get", 2, "put", 3, "post", 4, "delete", 5, "options", 6, "head", 7, "patch", 8);
    private static final int PATH_ITEM_EXT = 10;
    // Operation
    private static final int OP_TAGS = 1;
    private static final int OP_SUMMARY = 2;
    private static final int OP_DESCRIPTION = 3;
    private static final int OP_ID = 5;
    private static final int OP_PRODUCES = 6;
    private static final int OP_CONSUMES = 7;
    private static final int OP_PARAMETERS = 8;
    private static final int OP_RESPONSES = 9;
    private static final int OP_SCHEMES = 10;
    private static final int OP_DEPRECATED = 11;
    private static final int OP_EXT = 13;
    // ParametersItem, Parameter, NonBodyParameter (oneofs); BodyParameter, Query/PathParameterSubSchema
    private static final int PARAMETERS_ITEM_PARAMETER = 1;
    private static final int PARAMETER_BODY = 1;
    private static final int PARAMETER_NON_BODY = 2;
    private static final int NON_BODY_QUERY = 3;
    private static final int NON_BODY_PATH = 4;
    private static final Map<String, Integer> BODY_FIELDS =
            Map.of("description", 1, "name", 2, "in", 3, "required", 4, "schema", 5);
    private static final int BODY_EXT = 6;
    private static final Map<String, Integer> QUERY_FIELDS =
            Map.of("required", 1, "in", 2, "description", 3, "name", 4, "type", 6, "format", 7, "uniqueItems", 20);
    private static final int QUERY_EXT = 23;
    private static final Map<String, Integer> PATH_FIELDS =
            Map.of("required", 1, "in", 2, "description", 3, "name", 4, "type", 5, "format", 6, "uniqueItems", 19);
    private static final int PATH_EXT = 22;
    // Responses, NamedResponseValue, ResponseValue, Response, SchemaItem
    private static final int RESPONSES_CODE = 1;
    private static final int RESPONSES_EXT = 2;
    private static final int RESPONSE_VALUE_RESPONSE = 1;
    private static final int RESPONSE_DESCRIPTION = 1;
    private static final int RESPONSE_SCHEMA = 2;
    private static final int RESPONSE_EXT = 5;
    private static final int SCHEMA_ITEM_SCHEMA = 1;
    // Definitions, Properties (both: repeated NamedSchema additional_properties = 1)
    private static final int NAMED_SCHEMAS = 1;
    // Schema
    private static final int SCHEMA_REF = 1;
    private static final int SCHEMA_FORMAT = 2;
    private static final int SCHEMA_TITLE = 3;
    private static final int SCHEMA_DESCRIPTION = 4;
    private static final int SCHEMA_REQUIRED = 19;
    private static final int SCHEMA_ADDITIONAL_PROPERTIES = 21;
    private static final int SCHEMA_TYPE = 22;
    private static final int SCHEMA_ITEMS = 23;
    private static final int SCHEMA_ALL_OF = 24;
    private static final int SCHEMA_PROPERTIES = 25;
    private static final int SCHEMA_EXT = 31;
    // AdditionalPropertiesItem (oneof), TypeItem, ItemsItem
    private static final int ADDITIONAL_SCHEMA = 1;
    private static final int ADDITIONAL_BOOLEAN = 2;
    private static final int TYPE_VALUE = 1;
    private static final int ITEMS_SCHEMA = 1;
    // Named* pairs, Any
    private static final int NAMED_NAME = 1;
    private static final int NAMED_VALUE = 2;
    private static final int ANY_YAML = 2;

    private GnosticEncoder() {}

    /** The openapi_v2.Document encoding of {@code swagger}; throws IllegalArgumentException on keys it does not know. */
    static byte[] encode(JsonNode swagger) {
        Msg m = new Msg();
        forEach(swagger, "", (k, v, at) -> {
            switch (k) {
                case "swagger" -> m.string(DOC_SWAGGER, v.asText());
                case "info" -> m.message(DOC_INFO, info(v, at));
                case "paths" -> m.message(DOC_PATHS, paths(v, at));
                case "definitions" -> m.message(DOC_DEFINITIONS, namedSchemas(v, at));
                default -> extensionOrFail(m, DOC_EXT, k, v, at);
            }
        });
        return m.bytes();
    }

    private static byte[] info(JsonNode n, String path) {
        Msg m = new Msg();
        forEach(n, path, (k, v, at) -> {
            switch (k) {
                case "title" -> m.string(INFO_TITLE, v.asText());
                case "version" -> m.string(INFO_VERSION, v.asText());
                case "description" -> m.string(INFO_DESCRIPTION, v.asText());
                default -> extensionOrFail(m, INFO_EXT, k, v, at);
            }
        });
        return m.bytes();
    }

    private static byte[] paths(JsonNode n, String path) {
        Msg m = new Msg();
        forEach(n, path, (k, v, at) -> {
            if (k.startsWith("/")) {
                m.message(PATHS_PATH, named(k, pathItem(v, at)));
            } else {
                extensionOrFail(m, PATHS_EXT, k, v, at);
            }
        });
        return m.bytes();
    }

    private static byte[] pathItem(JsonNode n, String path) {
        Msg m = new Msg();
        forEach(n, path, (k, v, at) -> {
            Integer field = PATH_ITEM_OPS.get(k);
            if (field != null) {
                m.message(field, operation(v, at));
            } else {
                extensionOrFail(m, PATH_ITEM_EXT, k, v, at);
            }
        });
        return m.bytes();
    }

    private static byte[] operation(JsonNode n, String path) {
        Msg m = new Msg();
        forEach(n, path, (k, v, at) -> {
            switch (k) {
                case "tags" -> m.strings(OP_TAGS, v);
                case "summary" -> m.string(OP_SUMMARY, v.asText());
                case "description" -> m.string(OP_DESCRIPTION, v.asText());
                case "operationId" -> m.string(OP_ID, v.asText());
                case "produces" -> m.strings(OP_PRODUCES, v);
                case "consumes" -> m.strings(OP_CONSUMES, v);
                case "parameters" -> {
                    int i = 0;
                    for (JsonNode p : v) {
                        m.message(OP_PARAMETERS, parametersItem(p, at + "/" + i++));
                    }
                }
                case "responses" -> m.message(OP_RESPONSES, responses(v, at));
                case "schemes" -> m.strings(OP_SCHEMES, v);
                case "deprecated" -> m.bool(OP_DEPRECATED, v.asBoolean());
                default -> extensionOrFail(m, OP_EXT, k, v, at);
            }
        });
        return m.bytes();
    }

    /** A ParametersItem holding a Parameter: a BodyParameter, or a query or path NonBodyParameter. */
    private static byte[] parametersItem(JsonNode n, String path) {
        String in = n.path("in").asText();
        Msg parameter = new Msg();
        switch (in) {
            case "body" -> parameter.message(PARAMETER_BODY, parameterFields(n, path, BODY_FIELDS, BODY_EXT));
            case "query", "path" -> {
                Msg nonBody = new Msg();
                nonBody.message(in.equals("query") ? NON_BODY_QUERY : NON_BODY_PATH, in.equals("query")
                        ? parameterFields(n, path, QUERY_FIELDS, QUERY_EXT) : parameterFields(n, path, PATH_FIELDS, PATH_EXT));
                parameter.message(PARAMETER_NON_BODY, nonBody.bytes());
            }
            default -> throw new IllegalArgumentException("no OpenAPI v2 protobuf field for a parameter in '" + in + "' at " + path);
        }
        Msg item = new Msg();
        item.message(PARAMETERS_ITEM_PARAMETER, parameter.bytes());
        return item.bytes();
    }

    private static byte[] parameterFields(JsonNode n, String path, Map<String, Integer> fields, int extField) {
        Msg m = new Msg();
        forEach(n, path, (k, v, at) -> {
            Integer field = fields.get(k);
            if (field == null) {
                extensionOrFail(m, extField, k, v, at);
            } else if (k.equals("schema")) {
                m.message(field, schema(v, at));
            } else if (v.isBoolean()) {
                m.bool(field, v.asBoolean());
            } else {
                m.string(field, v.asText());
            }
        });
        return m.bytes();
    }

    private static byte[] responses(JsonNode n, String path) {
        Msg m = new Msg();
        forEach(n, path, (k, v, at) -> {
            if (k.startsWith("x-")) {
                m.message(RESPONSES_EXT, namedAny(k, v));
            } else {
                Msg value = new Msg();
                value.message(RESPONSE_VALUE_RESPONSE, response(v, at));
                m.message(RESPONSES_CODE, named(k, value.bytes()));
            }
        });
        return m.bytes();
    }

    private static byte[] response(JsonNode n, String path) {
        Msg m = new Msg();
        forEach(n, path, (k, v, at) -> {
            switch (k) {
                case "description" -> m.string(RESPONSE_DESCRIPTION, v.asText());
                case "schema" -> {
                    Msg item = new Msg();
                    item.message(SCHEMA_ITEM_SCHEMA, schema(v, at));
                    m.message(RESPONSE_SCHEMA, item.bytes());
                }
                default -> extensionOrFail(m, RESPONSE_EXT, k, v, at);
            }
        });
        return m.bytes();
    }

    /** Definitions and Properties: repeated NamedSchema. */
    private static byte[] namedSchemas(JsonNode n, String path) {
        Msg m = new Msg();
        forEach(n, path, (k, v, at) -> m.message(NAMED_SCHEMAS, named(k, schema(v, at))));
        return m.bytes();
    }

    private static byte[] schema(JsonNode n, String path) {
        Msg m = new Msg();
        forEach(n, path, (k, v, at) -> {
            switch (k) {
                case "$ref" -> m.string(SCHEMA_REF, v.asText());
                case "format" -> m.string(SCHEMA_FORMAT, v.asText());
                case "title" -> m.string(SCHEMA_TITLE, v.asText());
                case "description" -> m.string(SCHEMA_DESCRIPTION, v.asText());
                case "required" -> m.strings(SCHEMA_REQUIRED, v);
                case "additionalProperties" -> {
                    Msg item = new Msg();
                    if (v.isBoolean()) {
                        item.oneofBool(ADDITIONAL_BOOLEAN, v.asBoolean());
                    } else {
                        item.message(ADDITIONAL_SCHEMA, schema(v, at));
                    }
                    m.message(SCHEMA_ADDITIONAL_PROPERTIES, item.bytes());
                }
                case "type" -> {
                    Msg type = new Msg();
                    type.strings(TYPE_VALUE, v);
                    m.message(SCHEMA_TYPE, type.bytes());
                }
                case "items" -> {
                    Msg items = new Msg();
                    if (v.isArray()) {
                        for (JsonNode item : v) {
                            items.message(ITEMS_SCHEMA, schema(item, at));
                        }
                    } else {
                        items.message(ITEMS_SCHEMA, schema(v, at));
                    }
                    m.message(SCHEMA_ITEMS, items.bytes());
                }
                case "allOf" -> {
                    for (JsonNode item : v) {
                        m.message(SCHEMA_ALL_OF, schema(item, at));
                    }
                }
                case "properties" -> m.message(SCHEMA_PROPERTIES, namedSchemas(v, at));
                default -> extensionOrFail(m, SCHEMA_EXT, k, v, at);
            }
        });
        return m.bytes();
    }

    private static void extensionOrFail(Msg m, int field, String key, JsonNode value, String path) {
        if (!key.startsWith("x-")) {
            throw new IllegalArgumentException("no OpenAPI v2 protobuf field for " + path);
        }
        m.message(field, namedAny(key, value));
    }

    private static byte[] namedAny(String name, JsonNode value) {
        Msg any = new Msg();
        any.string(ANY_YAML, new String(Json.bytes(value), StandardCharsets.UTF_8));
        return named(name, any.bytes());
    }

    private static byte[] named(String name, byte[] value) {
        Msg m = new Msg();
        m.string(NAMED_NAME, name);
        m.message(NAMED_VALUE, value);
        return m.bytes();
    }

    private interface Entry {
        void accept(String key, JsonNode value, String path);
    }

    private static void forEach(JsonNode n, String path, Entry e) {
        if (!n.isObject()) {
            throw new IllegalArgumentException("expected an object at " + (path.isEmpty() ? "/" : path));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            e.accept(f.getKey(), f.getValue(), path + "/" + f.getKey());
        }
    }

    /** One message being written. Proto3: default values (empty strings, false) are left out. */
    private static final class Msg {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final CodedOutputStream out = CodedOutputStream.newInstance(buf);

        void string(int field, String s) {
            if (!s.isEmpty()) {
                io(() -> out.writeString(field, s));
            }
        }

        void strings(int field, JsonNode v) {
            if (v.isArray()) {
                for (JsonNode s : v) {
                    io(() -> out.writeString(field, s.asText()));
                }
            } else {
                io(() -> out.writeString(field, v.asText()));
            }
        }

        void bool(int field, boolean b) {
            if (b) {
                io(() -> out.writeBool(field, true));
            }
        }

        /** A member of a oneof: written even when false, since which member is set matters. */
        void oneofBool(int field, boolean b) {
            io(() -> out.writeBool(field, b));
        }

        /** An embedded message; written even when empty, since presence matters (e.g. empty properties). */
        void message(int field, byte[] encoded) {
            io(() -> out.writeByteArray(field, encoded));
        }

        byte[] bytes() {
            io(out::flush);
            return buf.toByteArray();
        }

        private interface Write {
            void run() throws IOException;
        }

        private static void io(Write w) {
            try {
                w.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
