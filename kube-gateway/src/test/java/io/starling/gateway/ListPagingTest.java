package io.starling.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** limit/continue: pages in name order that together hold every object once; bad parameters get 400. */
class ListPagingTest {
    private static final ObjectMapper M = new ObjectMapper();
    private static final String CM = "/api/v1/namespaces/default/configmaps";
    private final GatewayFixture f = new GatewayFixture();

    @AfterEach
    void close() {
        f.close();
    }

    private JsonNode get(String path, String accept) throws Exception {
        HttpResponse<String> r = f.send(0, "GET", path, null, null, accept);
        assertEquals(200, r.statusCode(), r.body());
        return M.readTree(r.body());
    }

    @Test
    void pagesFollowContinueTokensUntilTheLastOne() throws Exception {
        for (String n : List.of("e", "a", "d", "c", "b")) {
            assertEquals(201, f.send("POST", CM, "application/json", "{\"metadata\":{\"name\":\"" + n + "\"}}").statusCode());
        }
        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String token = null;
        do {
            JsonNode page = get(CM + "?limit=2" + (token == null ? "" : "&continue=" + token), null);
            sizes.add(page.path("items").size());
            page.path("items").forEach(i -> seen.add(i.path("metadata").path("name").asText()));
            token = page.path("metadata").hasNonNull("continue") ? page.path("metadata").path("continue").asText() : null;
        } while (token != null);
        assertEquals(List.of("a", "b", "c", "d", "e"), seen);
        assertEquals(List.of(2, 2, 1), sizes);

        assertEquals(5, get(CM, null).path("items").size(), "no limit: everything, no token");
        assertTrue(get(CM, null).path("metadata").path("continue").isMissingNode());
        JsonNode table = get(CM + "?limit=3", "application/json;as=Table;v=v1;g=meta.k8s.io");
        assertEquals(3, table.path("rows").size());
        assertTrue(table.path("metadata").hasNonNull("continue"), "tables carry the token too (kubectl get chunks)");
    }

    @Test
    void malformedLimitOrTokenIs400() {
        assertEquals(400, f.send("GET", CM + "?limit=x", null, null).statusCode());
        assertEquals(400, f.send("GET", CM + "?limit=-1", null, null).statusCode());
        assertEquals(400, f.send("GET", CM + "?continue=%25%25", null, null).statusCode());
        assertEquals(400, f.send("GET", CM + "?continue=YWJj", null, null).statusCode(), "decodes, but names no object");
    }
}
