package io.starling.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.core.random.SeededRandom;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A selector watch started at a LIST's resourceVersion, replayed over that LIST, must equal a
 * fresh LIST after any sequence of creates, label changes and deletes (made through two servers).
 */
@Timeout(120)
class WatchReplayTest {
    private static final ObjectMapper M = new ObjectMapper();
    private static final String CM = "/api/v1/namespaces/default/configmaps";
    private static final String SELECTED = "?labelSelector=env%3Da";
    private final GatewayFixture f = new GatewayFixture(2);

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void watchReplayEqualsList() throws Exception {
        long seed = 7;
        SeededRandom random = new SeededRandom(seed);
        Map<String, String> state = new TreeMap<>();
        JsonNode start = M.readTree(f.get(CM + SELECTED).body());
        state.putAll(names(start));
        HttpRequest req = HttpRequest.newBuilder(URI.create(f.url() + CM + SELECTED + "&watch=true&resourceVersion="
                + start.path("metadata").path("resourceVersion").asText())).build();
        HttpResponse<InputStream> stream = f.http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        int ops = 60;
        int expectedEvents = 0;
        Map<String, String> truth = new TreeMap<>();
        for (int i = 0; i < ops; i++) {
            String name = "o" + random.nextInt(5);
            String env = random.nextBoolean() ? "a" : "b";
            int server = random.nextInt(2);
            boolean before = "a".equals(truth.get(name));
            if (!truth.containsKey(name)) {
                f.send(server, "POST", CM, "application/json", "{\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"env\":\"" + env
                        + "\"}},\"data\":{\"i\":\"" + i + "\"}}", null);
                truth.put(name, env);
            } else if (random.nextInt(4) == 0) {
                f.send(server, "DELETE", CM + "/" + name, null, null, null);
                truth.remove(name);
            } else {
                f.send(server, "PATCH", CM + "/" + name, "application/merge-patch+json",
                        "{\"metadata\":{\"labels\":{\"env\":\"" + env + "\"}},\"data\":{\"i\":\"" + i + "\"}}", null);
                truth.put(name, env);
            }
            boolean after = "a".equals(truth.get(name));
            if (before || after) {
                expectedEvents++;
            }
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            for (int i = 0; i < expectedEvents; i++) {
                JsonNode ev = M.readTree(r.readLine());
                String name = ev.path("object").path("metadata").path("name").asText();
                String rv = ev.path("object").path("metadata").path("resourceVersion").asText();
                switch (ev.path("type").asText()) {
                    case "ADDED", "MODIFIED" -> state.put(name, rv);
                    case "DELETED" -> state.remove(name);
                    default -> throw new AssertionError("unexpected event " + ev + " (seed " + seed + ")");
                }
            }
        }
        Map<String, String> finalList = names(M.readTree(f.get(CM + SELECTED).body()));
        assertEquals(finalList, state, "seed " + seed);
    }

    private static Map<String, String> names(JsonNode list) {
        Map<String, String> out = new TreeMap<>();
        list.path("items").forEach(i -> out.put(i.path("metadata").path("name").asText(),
                i.path("metadata").path("resourceVersion").asText()));
        return out;
    }
}
