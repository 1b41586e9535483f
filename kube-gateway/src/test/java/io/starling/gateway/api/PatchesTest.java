package io.starling.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** RFC 7386 Appendix A examples (written from the RFC's table) for the JSON merge patch. */
class PatchesTest {
    private static final ObjectMapper M = new ObjectMapper();

    private static void check(String target, String patch, String result) throws Exception {
        assertEquals(M.readTree(result), Patches.mergePatch(M.readTree(target), M.readTree(patch)), target + " + " + patch);
    }

    @Test
    void rfc7386Examples() throws Exception {
        check("{\"a\":\"b\"}", "{\"a\":\"c\"}", "{\"a\":\"c\"}");
        check("{\"a\":\"b\"}", "{\"b\":\"c\"}", "{\"a\":\"b\",\"b\":\"c\"}");
        check("{\"a\":\"b\"}", "{\"a\":null}", "{}");
        check("{\"a\":\"b\",\"b\":\"c\"}", "{\"a\":null}", "{\"b\":\"c\"}");
        check("{\"a\":[\"b\"]}", "{\"a\":\"c\"}", "{\"a\":\"c\"}");
        check("{\"a\":\"c\"}", "{\"a\":[\"b\"]}", "{\"a\":[\"b\"]}");
        check("{\"a\":{\"b\":\"c\"}}", "{\"a\":{\"b\":\"d\",\"c\":null}}", "{\"a\":{\"b\":\"d\"}}");
        check("{\"a\":[{\"b\":\"c\"}]}", "{\"a\":[1]}", "{\"a\":[1]}");
        check("[\"a\",\"b\"]", "[\"c\",\"d\"]", "[\"c\",\"d\"]");
        check("{\"a\":\"b\"}", "[\"c\"]", "[\"c\"]");
        check("{\"a\":\"foo\"}", "null", "null");
        check("{\"a\":\"foo\"}", "\"bar\"", "\"bar\"");
        check("{\"e\":null}", "{\"a\":1}", "{\"e\":null,\"a\":1}");
        check("[1,2]", "{\"a\":\"b\",\"c\":null}", "{\"a\":\"b\"}");
        check("{}", "{\"a\":{\"bb\":{\"ccc\":null}}}", "{\"a\":{\"bb\":{}}}");
    }
}
