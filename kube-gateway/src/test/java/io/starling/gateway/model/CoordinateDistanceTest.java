package io.starling.gateway.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoordinateDistanceTest {
    @Test
    void predictedRttIsDistancePlusBothHeights() {
        assertEquals(5.0 + 1.0 + 2.0, CoordinateDistance.predict("0,0,1,0.2", "3,4,2,0.5"), 1e-9);
        assertEquals("8.0ms", CoordinateDistance.describe("0,0,1,0.2", "3,4,2,0.5"));
    }

    @Test
    void missingOrGarbledCoordinatesAreUnknownNotErrors() {
        assertEquals("<unknown>", CoordinateDistance.describe(null, "3,4,2,0.5"));
        assertEquals("<unknown>", CoordinateDistance.describe("0,0,1,0.2", "x,y"));
        assertEquals("<unknown>", CoordinateDistance.describe("0,0,1,0.2", "1,2,3,4,NaN"));
        assertEquals("<unknown>", CoordinateDistance.describe("0,0,1,0.2", "1,2,3,0.1,0.3"));
    }

    @Test
    void wideNodeTablesShowTheEstimatedRttFromTheServingPeer() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.putObject("metadata").put("name", "a-edge1").putObject("annotations").put("starling.io/vivaldi", "3,4,0,0.1");
        ObjectNode t = Tables.table("Node", List.of(node), "1", Tables.include(null), 0, "0,0,0,0.1");
        int col = -1;
        for (int i = 0; i < t.get("columnDefinitions").size(); i++) {
            if (t.get("columnDefinitions").get(i).get("name").asText().equals("Est-RTT")) {
                col = i;
                assertEquals(1, t.get("columnDefinitions").get(i).get("priority").asInt(), "shown with -o wide");
            }
        }
        assertTrue(col >= 0, "Est-RTT column present");
        assertEquals("5.0ms", t.get("rows").get(0).get("cells").get(col).asText());
    }
}
