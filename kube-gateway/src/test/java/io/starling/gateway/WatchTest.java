package io.starling.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Watch edge cases: expired revisions, Table events, selectors crossing, the initial-events bookmark. */
@Timeout(120)
class WatchTest {
    private static final ObjectMapper M = new ObjectMapper();
    private static final String CM = "/api/v1/namespaces/default/configmaps";
    private final GatewayFixture f = new GatewayFixture(1, 2);

    @AfterEach
    void close() {
        f.close();
    }

    private BufferedReader open(String path, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.url() + path)).timeout(Duration.ofSeconds(20));
        if (accept != null) {
            b.header("Accept", accept);
        }
        HttpResponse<InputStream> r = f.http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        return new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
    }

    private String create(String name, String labels) {
        HttpResponse<String> r = f.send("POST", CM, "application/json",
                "{\"metadata\":{\"name\":\"" + name + "\",\"labels\":" + labels + "}}");
        assertEquals(201, r.statusCode(), r.body());
        try {
            return M.readTree(r.body()).path("metadata").path("resourceVersion").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void expiredResourceVersionGetsErrorEventWith410() throws Exception {
        String first = create("a", "{}");
        for (int i = 0; i < 5; i++) {
            create("b" + i, "{}");
        }
        try (BufferedReader r = open(CM + "?watch=true&resourceVersion=" + first, null)) {
            JsonNode ev = M.readTree(r.readLine());
            assertEquals("ERROR", ev.path("type").asText());
            assertEquals(410, ev.path("object").path("code").asInt());
            assertEquals("Expired", ev.path("object").path("reason").asText());
            assertEquals(null, r.readLine(), "the stream ends after the error");
        }
    }

    @Test
    void tableEventsAndLabelSelectorTransitions() throws Exception {
        String rv = create("x", "{\"app\":\"a\"}");
        String accept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
        try (BufferedReader r = open(CM + "?watch=true&labelSelector=app%3Da&resourceVersion=" + rv, accept)) {
            f.send("PATCH", CM + "/x", "application/merge-patch+json", "{\"metadata\":{\"labels\":{\"app\":\"b\"}}}");
            f.send("PATCH", CM + "/x", "application/merge-patch+json", "{\"metadata\":{\"labels\":{\"app\":\"a\"}}}");
            JsonNode left = M.readTree(r.readLine());
            assertEquals("DELETED", left.path("type").asText(), "leaving the selection looks like a delete");
            assertEquals("Table", left.path("object").path("kind").asText());
            assertEquals("x", left.path("object").path("rows").get(0).path("cells").get(0).asText());
            assertEquals("ADDED", M.readTree(r.readLine()).path("type").asText(), "entering it looks like an add");
        }
    }

    @Test
    void initialEventsEndWithABookmark() throws Exception {
        create("a", "{}");
        try (BufferedReader r = open(CM + "?watch=true&allowWatchBookmarks=true&sendInitialEvents=true"
                + "&resourceVersionMatch=NotOlderThan", null)) {
            assertEquals("ADDED", M.readTree(r.readLine()).path("type").asText());
            JsonNode bm = M.readTree(r.readLine());
            assertEquals("BOOKMARK", bm.path("type").asText());
            assertEquals("true", bm.path("object").path("metadata").path("annotations").path("k8s.io/initial-events-end").asText());
            assertTrue(Long.parseLong(bm.path("object").path("metadata").path("resourceVersion").asText()) > 0);
        }
    }

    @Test
    void singleObjectWatchByName() throws Exception {
        String rv = create("one", "{}");
        create("other", "{}");
        try (BufferedReader r = open(CM + "?watch=true&fieldSelector=metadata.name%3Done&resourceVersion=" + rv, null)) {
            f.send("PATCH", CM + "/other", "application/merge-patch+json", "{\"data\":{\"k\":\"1\"}}");
            f.send("PATCH", CM + "/one", "application/merge-patch+json", "{\"data\":{\"k\":\"2\"}}");
            JsonNode ev = M.readTree(r.readLine());
            assertEquals("MODIFIED", ev.path("type").asText());
            assertEquals("one", ev.path("object").path("metadata").path("name").asText());
        }
    }
}
