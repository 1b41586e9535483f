package io.starling.gateway.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class FieldSelectorTest {
    private static JsonNode json(String s) throws Exception {
        return new ObjectMapper().readTree(s);
    }

    @Test
    void matchesDocumentedFields() throws Exception {
        JsonNode pod = json("{\"metadata\":{\"name\":\"p\",\"namespace\":\"ns\"},\"spec\":{\"nodeName\":\"n1\"},\"status\":{\"phase\":\"Running\"}}");
        assertTrue(FieldSelector.parse("metadata.name=p,metadata.namespace=ns").matches(pod));
        assertTrue(FieldSelector.parse("spec.nodeName=n1,status.phase!=Pending").matches(pod));
        assertFalse(FieldSelector.parse("status.phase=Pending").matches(pod));
        assertTrue(FieldSelector.parse("spec.nodeName!=").matches(pod), "scheduled pods: nodeName is not empty");
        JsonNode unscheduled = json("{\"metadata\":{\"name\":\"u\"},\"spec\":{}}");
        assertTrue(FieldSelector.parse("spec.nodeName=").matches(unscheduled), "a missing field reads as empty");
        JsonNode ev = json("{\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"p\",\"uid\":\"1\"}}");
        assertTrue(FieldSelector.parse("involvedObject.kind=Pod,involvedObject.name==p").matches(ev));
        assertEquals("p", FieldSelector.parse("metadata.name=p").exact("metadata.name"));
    }

    @Test
    void malformed() {
        assertThrows(IllegalArgumentException.class, () -> FieldSelector.parse("novalue"));
        assertThrows(IllegalArgumentException.class, () -> FieldSelector.parse("bad field=x"));
    }
}
