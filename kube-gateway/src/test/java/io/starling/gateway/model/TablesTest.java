package io.starling.gateway.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TablesTest {
    @Test
    void humanDurationsLikeKubectl() {
        assertEquals("0s", Tables.humanDuration(0));
        assertEquals("119s", Tables.humanDuration(119));
        assertEquals("2m", Tables.humanDuration(120));
        assertEquals("3m20s", Tables.humanDuration(200));
        assertEquals("75m", Tables.humanDuration(75 * 60));
        assertEquals("5h12m", Tables.humanDuration(5 * 3600 + 12 * 60));
        assertEquals("30h", Tables.humanDuration(30 * 3600));
        assertEquals("3d4h", Tables.humanDuration(3 * 86400 + 4 * 3600));
        assertEquals("400d", Tables.humanDuration(400L * 86400));
        assertEquals("2y30d", Tables.humanDuration((730L + 30) * 86400));
    }

    @Test
    void podRow() throws Exception {
        ObjectNode pod = (ObjectNode) new ObjectMapper().readTree("{\"metadata\":{\"name\":\"p\",\"creationTimestamp\":\"2026-01-01T00:00:00Z\"},"
                + "\"spec\":{\"nodeName\":\"n1\",\"containers\":[{\"name\":\"a\"},{\"name\":\"b\"}]},"
                + "\"status\":{\"phase\":\"Running\",\"podIP\":\"10.1.0.5\",\"containerStatuses\":["
                + "{\"ready\":true,\"restartCount\":2},{\"ready\":false,\"restartCount\":1,\"state\":{\"waiting\":{\"reason\":\"CrashLoopBackOff\"}}}]}}");
        long now = Instant.parse("2026-01-01T00:00:45Z").toEpochMilli();
        JsonNode t = Tables.table("Pod", List.of(pod), "7", Tables.Include.NONE, now);
        List<String> cells = new ArrayList<>();
        t.path("rows").get(0).path("cells").forEach(c -> cells.add(c.asText()));
        assertEquals(List.of("p", "1/2", "CrashLoopBackOff", "3", "45s", "10.1.0.5", "n1", "<none>", "<none>"), cells);
        assertEquals("7", t.path("metadata").path("resourceVersion").asText());
        assertEquals(false, t.path("rows").get(0).has("object"));
    }

    @Test
    void nodeRowShowsSite() throws Exception {
        ObjectNode node = (ObjectNode) new ObjectMapper().readTree("{\"metadata\":{\"name\":\"n\",\"labels\":{\"starling.io/site\":\"berlin\","
                + "\"node-role.kubernetes.io/control-plane\":\"\"}},\"spec\":{\"unschedulable\":true},"
                + "\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"}]}}");
        JsonNode row = Tables.table("Node", List.of(node), null, Tables.Include.NONE, 0).path("rows").get(0);
        assertEquals("NotReady,SchedulingDisabled", row.path("cells").get(1).asText());
        assertEquals("control-plane", row.path("cells").get(2).asText());
        assertEquals("berlin", row.path("cells").get(3).asText());
    }
}
